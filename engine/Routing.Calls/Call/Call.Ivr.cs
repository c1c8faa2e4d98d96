using Routing.Calls.Ports;

namespace Routing.Calls;

public sealed partial class Call
{
    /// <summary>Where the caller is in the IVR while <see cref="CallState.Classifying"/>.</summary>
    private enum MenuPhase
    {
        /// <summary>The greeting; a digit pressed now already answers the language menu.</summary>
        Greeting,
        LanguageMenu,
        ServiceMenu,
        /// <summary>Nothing was pressed: the silent-call prompt, then a call-taker.</summary>
        SilentCall,
    }

    private MenuPhase _phase;
    private int _menuRepeats;
    private int _playbackCount;
    private string? _activePlayback;

    /// <summary>Write before act: the call is on record before Asterisk hears from us.</summary>
    private async Task BeginAsync()
    {
        _timers.Arm(CallTimer.State, CommandTimeout);
        var c = _classification;
        await JournalWriteAsync("call", () => _deps.Journal.CallArrivedAsync(
            new CallRecord(CallId, CallerChannelId, c.CallerNumber, c.DialedNumber, c.EntryName, _arrival.At), CancellationToken.None));
        foreach (var note in c.Notes) await JournalAsync("classification.note", note);
        if (c.CallerName.Length > 0) await JournalAsync("caller.name", c.CallerName);

        var answered = await CallerCommandAsync("answer", ct => _deps.Telephony.AnswerAsync(CallerChannelId, ct));
        if (answered == CommandResult.Done) await RaiseAsync(CallTrigger.Answered);
        // An answer that failed for another reason: the dialplan fallback still puts the call through.
        else if (answered == CommandResult.Failed) await RaiseAsync(CallTrigger.FailOver);
    }

    private async Task OnAnsweredAsync()
    {
        _timers.Arm(CallTimer.State, CommandTimeout);
        if (_classification.FirstStep == FirstStep.Agency)
            await JournalAsync("classified", $"{_agency} ({_classification.EntryName}, region {_region})");
        await RaiseAsync(_classification.FirstStep switch
        {
            FirstStep.Agency => CallTrigger.Classified,
            FirstStep.Operator => CallTrigger.ToOperator,
            _ => CallTrigger.ToMenu,
        });
    }

    private async Task OnClassifyingAsync()
    {
        _timers.Cancel(CallTimer.State);
        _phase = MenuPhase.Greeting;
        _menuRepeats = 0;
        await PlayPromptAsync("greeting", _options.Ivr.DefaultLanguage);
    }

    /// <summary>Starts a prompt with an id we choose. A prompt that cannot be played counts as
    /// finished at once; one that never reports PlaybackFinished counts as finished after Timers.Prompt.</summary>
    private async Task PlayPromptAsync(string prompt, string language)
    {
        var playbackId = $"{CallId}-p{++_playbackCount}";
        _activePlayback = playbackId;
        _timers.Arm(CallTimer.Prompt, _options.Timers.Prompt);
        var media = $"sound:{_options.Ivr.PromptBase}/{language}/{prompt}";
        var played = await CallerCommandAsync("play", ct => _deps.Telephony.PlayAsync(CallerChannelId, playbackId, media, ct));
        if (played == CommandResult.Failed && _activePlayback == playbackId) await PromptDoneAsync();
    }

    private async Task OnPlaybackFinishedAsync(string playbackId)
    {
        if (playbackId != _activePlayback) return; // a prompt we already stopped or gave up on
        await PromptDoneAsync();
    }

    /// <summary>The current prompt is over (finished, failed, or timed out): what comes next
    /// depends on where the call is.</summary>
    private async Task PromptDoneAsync()
    {
        _activePlayback = null;
        _timers.Cancel(CallTimer.Prompt);
        switch (_state)
        {
            case CallState.Classifying when _phase == MenuPhase.Greeting:
                _phase = MenuPhase.LanguageMenu;
                await PlayPromptAsync("language-menu", _options.Ivr.DefaultLanguage);
                break;
            case CallState.Classifying when _phase == MenuPhase.SilentCall:
                await RaiseAsync(CallTrigger.ToOperator);
                break;
            case CallState.Classifying:
                _timers.Arm(CallTimer.State, _options.Timers.MenuDigit);
                break;
            case CallState.Queued or CallState.Dialing or CallState.Overflow or CallState.OperatorQueue:
                await StartMusicOnHoldAsync();
                break;
        }
    }

    /// <summary>A digit pressed during a prompt barges in: the prompt stops and the digit counts.</summary>
    private async Task OnMenuDigitAsync(char digit)
    {
        var key = digit.ToString();
        if (_phase == MenuPhase.SilentCall)
        {
            await JournalAsync("dtmf", $"{key} ignored: already going to a call-taker");
            return;
        }
        await JournalAsync("dtmf", key);
        await StopActivePromptAsync();
        _timers.Cancel(CallTimer.State);

        if (_phase is MenuPhase.Greeting or MenuPhase.LanguageMenu)
        {
            if (_options.Ivr.LanguageDigits.TryGetValue(key, out var language) && !string.IsNullOrEmpty(language))
            {
                _language = language;
                _phase = MenuPhase.ServiceMenu;
                _menuRepeats = 0;
                Publish();
                await JournalAsync("language", language);
                await PlayPromptAsync("service-menu", _language);
                return;
            }
        }
        else if (_options.Ivr.ServiceDigits.TryGetValue(key, out var agency) && _options.Agencies.ContainsKey(agency))
        {
            _agency = agency;
            Publish();
            await JournalAsync("classified", $"{agency} (menu, region {_region})");
            await RaiseAsync(CallTrigger.Classified);
            return;
        }
        await JournalAsync("dtmf.invalid", $"{key} in {_phase}");
        await RepeatMenuAsync(silence: false);
    }

    /// <summary>Replays the current menu, or gives up after Ivr.MenuRepeats repeats: a silent caller
    /// hears the silent-call prompt first (they may be unable to speak), then a call-taker takes over.</summary>
    private async Task RepeatMenuAsync(bool silence)
    {
        _menuRepeats++;
        if (_menuRepeats > _options.Ivr.MenuRepeats)
        {
            await JournalAsync("menu.exhausted", $"{_phase} after {_menuRepeats - 1} repeats ({(silence ? "no digit" : "invalid digit")})");
            if (silence)
            {
                _phase = MenuPhase.SilentCall;
                await PlayPromptAsync("silent-call", _language);
            }
            else
            {
                await RaiseAsync(CallTrigger.ToOperator);
            }
            return;
        }
        await JournalAsync("menu.repeat", $"{_phase} repeat {_menuRepeats}");
        if (_phase == MenuPhase.ServiceMenu) await PlayPromptAsync("service-menu", _language);
        else
        {
            _phase = MenuPhase.LanguageMenu;
            await PlayPromptAsync("language-menu", _options.Ivr.DefaultLanguage);
        }
    }

    private async Task StopActivePromptAsync()
    {
        if (_activePlayback is not { } playbackId) return;
        _activePlayback = null;
        _timers.Cancel(CallTimer.Prompt);
        // Gone means it finished on its own meanwhile: nothing to do either way.
        await CommandAsync("stopPlayback", playbackId, ct => _deps.Telephony.StopPlaybackAsync(playbackId, ct));
    }

    /// <summary>Every timer of every state lands here; the state decides what it means.</summary>
    private async Task OnTimeoutAsync(CallTimer timer)
    {
        await JournalAsync("timer", $"{timer} in {_state}");
        switch (timer, _state)
        {
            case (CallTimer.Prompt, _):
                await PromptDoneAsync();
                break;
            case (CallTimer.State, CallState.Classifying):
                await RepeatMenuAsync(silence: true);
                break;
            case (CallTimer.State, CallState.Connected):
                // Never cut an emergency call on a timer: record it so a supervisor can look, and
                // keep checking. Reconciliation ends calls whose channels really are gone.
                await JournalAsync("connected.max", $"bridged for {SinceArrival()} (Timers.ConnectedMax {_options.Timers.ConnectedMax})");
                _timers.Arm(CallTimer.State, _options.Timers.ConnectedMax);
                break;
            case (CallTimer.Ring, CallState.Dialing or CallState.Overflow or CallState.OperatorQueue):
                await OnLegFailedAsync($"no answer within {_leg?.Step.Trunk.RingTimeout}", hangUp: true);
                break;
            case (CallTimer.Ring, _):
                break; // the leg was already settled (answered or failed) when this fired
            default:
                // Arrived/Answered/Queued stuck, the whole dialing plan or the call-taker queue too
                // long: the dialplan fallback takes the caller.
                await JournalAsync("timeout", $"{timer} bound reached in {_state}");
                await RaiseAsync(CallTrigger.FailOver);
                break;
        }
    }

    /// <summary>
    /// After an ARI reconnect the engine has already posted CallerHungUp / LegEnded for channels that
    /// vanished; what is left is alive. Events that would have ended the current wait may have been
    /// lost in the gap, so the wait starts again: the prompt, menu-digit, ring or connected timer is
    /// re-armed. The outer bounds (DialingTotal, Operators.QueueTimeout) are not, so a flapping
    /// connection cannot keep a caller waiting for ever.
    /// </summary>
    private async Task OnReconciledAsync()
    {
        await JournalAsync("reconciled", _state.ToString());
        if (_activePlayback is not null) _timers.Arm(CallTimer.Prompt, _options.Timers.Prompt);
        else if (_state == CallState.Classifying) _timers.Arm(CallTimer.State, _options.Timers.MenuDigit);
        if (_leg is { Answered: false } && _state is CallState.Dialing or CallState.Overflow or CallState.OperatorQueue)
            _timers.Arm(CallTimer.Ring, _leg.Step.Trunk.RingTimeout);
        if (_state == CallState.Connected) _timers.Arm(CallTimer.State, _options.Timers.ConnectedMax);
    }
}
