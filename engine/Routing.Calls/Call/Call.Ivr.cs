namespace Routing.Calls;

/// <summary>What the caller hears: the menu (decided by <see cref="IvrMenu"/>, played here), prompts,
/// and music on hold while the call waits for an agency.</summary>
public sealed partial class Call
{
    private int _playbackCount;
    private string? _activePlayback;
    private bool _mohOn;

    private async Task OnClassifyingAsync()
    {
        _timers.Cancel(CallTimer.State);
        if (_humanFirst)
        {
            await OnHumanFirstGreetingAsync();
            return;
        }
        await ApplyMenuAsync(_menu.Start(_language));
    }

    /// <summary>A digit pressed during a prompt barges in: the prompt stops and the digit counts.</summary>
    private async Task OnMenuDigitAsync(char digit)
    {
        if (_humanFirst)
        {
            await OnHumanFirstDigitAsync(digit);
            return;
        }
        var decision = _menu.Digit(digit);
        if (decision is IvrDecision.Ignored ignored)
        {
            await JournalAsync("dtmf", $"{digit} ignored: {ignored.Reason}");
            return;
        }
        await JournalAsync("dtmf", digit.ToString());
        await StopActivePromptAsync();
        _timers.Cancel(CallTimer.State);
        await ApplyMenuAsync(decision);
    }

    /// <summary>Does what the menu decided: the call's own state first (so the snapshot is current
    /// when the notes are on record), then the notes, then the act.</summary>
    private async Task ApplyMenuAsync(IvrDecision decision)
    {
        switch (decision)
        {
            case IvrDecision.LanguageChosen chosen:
                _language = chosen.Language;
                _languageChosen = true;
                Publish();
                break;
            case IvrDecision.AgencyChosen chosen when UsesCentre:
                // IVR-first with a centre: the menu's answer is a hint on the call card, not a decision.
                _ivrHint = chosen.Agency;
                Publish();
                break;
            case IvrDecision.AgencyChosen chosen:
                _agency = chosen.Agency;
                Publish();
                break;
        }
        foreach (var note in decision.Notes) await JournalAsync(note.Kind, note.Detail);
        switch (decision)
        {
            case IvrDecision.Play play:
                await PlayPromptAsync(play.Prompt, play.Language);
                break;
            case IvrDecision.LanguageChosen chosen:
                await PlayPromptAsync(chosen.Prompt, chosen.Language);
                break;
            case IvrDecision.AwaitDigit:
                _timers.Arm(CallTimer.State, _options.Timers.MenuDigit);
                break;
            case IvrDecision.AgencyChosen chosen when UsesCentre:
                await JournalAsync("hint", $"{chosen.Agency} (menu, region {_region}): to a call-taker, who decides");
                await RaiseAsync(CallTrigger.ToOperator);
                break;
            case IvrDecision.AgencyChosen chosen:
                await JournalAsync("classified", $"{chosen.Agency} (menu, region {_region})");
                await RaiseAsync(CallTrigger.Classified);
                break;
            case IvrDecision.ToCallTaker:
                await RaiseAsync(CallTrigger.ToOperator);
                break;
        }
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

    /// <summary>The current prompt is over (finished, failed, or timed out): in the menu the menu
    /// decides what comes next; a waiting caller gets music on hold.</summary>
    private async Task PromptDoneAsync()
    {
        _activePlayback = null;
        _timers.Cancel(CallTimer.Prompt);
        switch (_state)
        {
            case CallState.Classifying when _humanFirst:
                await RaiseAsync(CallTrigger.ToOperator);
                break;
            case CallState.Classifying:
                await ApplyMenuAsync(_menu.PromptFinished());
                break;
            case CallState.Queued or CallState.Dialing or CallState.Overflow or CallState.OperatorQueue:
                await StartMusicOnHoldAsync();
                break;
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

    /// <summary>A prompt for a waiting caller; music on hold resumes when it is over, so the two never
    /// talk over each other.</summary>
    private async Task StartHoldPromptAsync(string prompt)
    {
        await StopMusicOnHoldAsync();
        if (_callerGone) return;
        await PlayPromptAsync(prompt, _language);
    }

    private async Task StartMusicOnHoldAsync()
    {
        if (_mohOn || _callerGone) return;
        if (await CallerCommandAsync("startMoh", ct => _deps.Telephony.StartMusicOnHoldAsync(CallerChannelId, ct)) == CommandResult.Done) _mohOn = true;
    }

    private async Task StopMusicOnHoldAsync()
    {
        if (!_mohOn || _callerGone) return;
        _mohOn = false;
        await CallerCommandAsync("stopMoh", ct => _deps.Telephony.StopMusicOnHoldAsync(CallerChannelId, ct));
    }
}
