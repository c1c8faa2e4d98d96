using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;
using Routing.Calls;
using Routing.Calls.Ports;
using Routing.Engine.Centre;
using Routing.Engine.Hosting;
using Routing.Engine.Metrics;

namespace Routing.Engine.Calls;

/// <summary>
/// The single reader of the ARI event stream. It never waits on a call: it creates calls on
/// StasisStart and posts every other event into the owning call's mailbox (non-blocking), so one
/// slow call cannot delay another and the websocket reader is never stalled.
/// </summary>
internal sealed partial class AriCallDispatcher(
    AriEventStream stream,
    CallRegistry registry,
    CallFactory callFactory,
    Reconciler reconciler,
    AdoptedConversations adopted,
    EventStreamBarrier barrier,
    AriEventStreamService streamService,
    IAriRestClient ari,
    AriEventFilter eventFilter,
    Microsoft.Extensions.Options.IOptions<AsteriskOptions> asteriskOptions,
    ILogger<AriCallDispatcher> logger,
    Overload.OverloadGuard overload,
    CentreService? centre = null,
    Text.TextService? text = null,
    Text.TextGateways? textGateways = null,
    Callbacks.CallbackCalls? callbacks = null,
    EndpointSubscriptions? endpointSubscriptions = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = stream.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var message))
                {
                    HandleGuarded(message, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private volatile bool stopping;

    // One child per event type, looked up once: WithLabels builds a label array and looks it up on every call.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Prometheus.Counter.Child> eventCounters = new(StringComparer.Ordinal);

    /// <summary>
    /// On shutdown, callers still waiting (menu, queue, ringing) are handed to the dialplan
    /// fallback rather than left in Stasis with nobody driving them; bridged calls stay bridged.
    /// Callers who arrive meanwhile are recorded and handed over at once. The event websocket is
    /// closed early, so that Asterisk sends any later caller to the dialplan itself
    /// (STASISSTATUS=FAILED); the reader keeps reading until then, so no StasisStart is left unread.
    /// Just before it closes, while the calls hand over beside it, the app's endpoint subscriptions are dropped
    /// (<see cref="EndpointSubscriptions"/>, at most 2 s): only then does the close let Asterisk forget the app.
    /// Bounded, so a stuck Asterisk cannot hold the shutdown forever.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (stopping)
        {
            // A second stop (Ctrl+C, then disposal): the hand-over is done or under way.
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        stopping = true;
        foreach (var call in registry.Active)
        {
            call.Post(new CallInput.EngineStopping());
        }

        if (endpointSubscriptions is not null)
        {
            await endpointSubscriptions.DropAsync(cancellationToken).ConfigureAwait(false);
        }

        await streamService.StopAsync(cancellationToken).ConfigureAwait(false);
        var calls = registry.Active;
        var waiting = calls.Where(c => c.Snapshot.State != CallState.Connected).Select(c => c.Completion);
        await Task.WhenAny(Task.WhenAll(waiting), Task.Delay(HandOverLimit, cancellationToken)).ConfigureAwait(false);
        LogMessages.HandedOverOnStop(logger, calls.Count(c => c.Completion.IsCompleted), calls.Count);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private static readonly TimeSpan HandOverLimit = TimeSpan.FromSeconds(5);

    /// <summary>A bug in handling one event must not stop the reader, and with it every other call.</summary>
    private void HandleGuarded(AriMessage message, CancellationToken cancellationToken)
    {
        try
        {
            Handle(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogMessages.EventHandlingFailed(logger, message.GetType().Name, ex.Message);
        }
    }

    internal void Handle(AriMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case AriConnected connected:
                EngineMetrics.AriConnections.Inc();
                EngineMetrics.AriConnected.Set(1);
                LogMessages.AriConnected(logger, connected.Generation);
                if (asteriskOptions.Value.FilterAriEvents)
                {
                    _ = eventFilter.ApplyAsync(connected.Generation, cancellationToken);
                }

                reconciler.RequestReconcile($"websocket connected (generation {connected.Generation})", afterGap: connected.Generation > 1);
                centre?.OnAriConnected();
                if (text is not null && textGateways is not null)
                {
                    _ = textGateways.SubscribeAsync(text.WatchedEndpoints, cancellationToken);
                }

                break;
            case AriDisconnected disconnected:
                EngineMetrics.AriConnected.Set(0);
                LogMessages.AriDisconnected(logger, disconnected.Reason);
                break;
            case AriConnectFailed failed:
                EngineMetrics.AriConnected.Set(0);
                LogMessages.AriConnectFailed(logger, failed.StatusCode, failed.Reason, failed.RetryIn);
                break;
            case AriFrameRejected rejected:
                EngineMetrics.AriFramesRejected.Inc();
                LogMessages.AriFrameRejected(logger, rejected.Error, rejected.Excerpt);
                break;
            case AriEventsLost lost:
                EngineMetrics.AriEventsLost.Inc(lost.Count);
                LogMessages.AriEventsLost(logger, lost.Count);
                reconciler.RequestReconcile($"{lost.Count} events lost", afterGap: true);
                break;
            case ChannelUserevent marker when barrier.TryComplete(marker.Eventname):
                // Handled after every event Asterisk sent before it: the reconciler's proof that no
                // arrival it listed is still on its way.
                break;
            case AriEvent ariEvent:
                overload.EventReceived(ariEvent.Timestamp);
                eventCounters.GetOrAdd(ariEvent.Type, static type => EngineMetrics.AriEvents.WithLabels(type)).Inc();
                Route(ariEvent, cancellationToken);
                break;
        }
    }

    private void Route(AriEvent ariEvent, CancellationToken cancellationToken)
    {
        if (ariEvent is TextMessageReceived message)
        {
            if (text is null || !text.Post(new Text.TextInput.Received(message)))
            {
                EngineMetrics.Unowned.Inc(); // text is off (no Text:Gateways), or stopping
            }

            return;
        }

        if (centre is not null && CentreEventTranslator.DeviceState(ariEvent) is { } device)
        {
            centre.Post(device);
            return;
        }

        var channelId = AriEventTranslator.ChannelOf(ariEvent);
        if (channelId is null)
        {
            return;
        }

        if (registry.TryGetByChannel(channelId, out var call))
        {
            var input = AriEventTranslator.Translate(ariEvent, channelId, isCaller: channelId == call.CallerChannelId);
            if (input is not null && !call.Post(input))
            {
                EngineMetrics.Unowned.Inc();
            }

            return;
        }

        if (centre is not null && centre.Offers.Owns(channelId))
        {
            // A position's device rung for a waiting call: the centre's until it answers.
            if (CentreEventTranslator.OfferLeg(ariEvent, channelId) is { } offerInput)
            {
                centre.Post(offerInput);
            }

            return;
        }

        if (callbacks is not null && callbacks.Owns(channelId))
        {
            // A call back's leg (the call-taker's phone or the caller dialled back): the call back's own.
            callbacks.OnAriEvent(ariEvent, channelId);
            return;
        }

        if (adopted.TryHandle(ariEvent, channelId, cancellationToken))
        {
            return;
        }

        if (ariEvent is StasisStart start)
        {
            OnStasisStartOfUnknownChannel(start, cancellationToken);
            return;
        }

        EngineMetrics.Unowned.Inc();
    }

    private void OnStasisStartOfUnknownChannel(StasisStart start, CancellationToken cancellationToken)
    {
        if (CallClassifier.IsOriginatedLeg(start.Args, out var callerChannelId))
        {
            // One of our agency legs answered after its call ended (the caller gave up while it
            // rang): nobody is there to talk to, so release the agency at once.
            LogMessages.OrphanLegAnswered(logger, start.Channel.Id, callerChannelId);
            _ = HangUpQuietlyAsync(start.Channel.Id, cancellationToken);
            return;
        }

        var call = callFactory.Create(start);
        if (!registry.TryAdd(call))
        {
            LogMessages.DuplicateStasisStart(logger, start.Channel.Id);
            return;
        }

        PrometheusCallObserver.CallArrived();
        var admission = stopping ? Overload.Admission.Admit : Admit();
        if (admission.Shed)
        {
            EngineMetrics.CallsShed.WithLabels(admission.Signal!).Inc();
            if (overload.CountShed() is { } shed)
            {
                LogMessages.CallsShed(logger, shed, start.Channel.Id, admission.Reason!);
            }

            call.StartShed(admission.Reason!);
            return;
        }

        call.Start();
        callFactory.Started(call, start);
        if (stopping)
        {
            call.Post(new CallInput.EngineStopping());
        }
    }

    private Overload.Admission Admit()
    {
        var admission = overload.Admit(out var transition);
        Overload.OverloadTransitions.Report(logger, transition, admission);
        return admission;
    }

    private async Task HangUpQuietlyAsync(string channelId, CancellationToken cancellationToken)
    {
        try
        {
            await ari.HangupAsync(channelId, "normal", cancellationToken).ConfigureAwait(false);
        }
        catch (AriException ex) when (ex.IsNotFound)
        {
            // Already gone: the agency hung up first.
        }
        catch (Exception ex) when (ex is AriException or AriTimeoutException or AriUnavailableException)
        {
            LogMessages.CleanupFailed(logger, channelId, ex.Message);
        }
    }
}
