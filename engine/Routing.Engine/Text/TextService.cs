using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Routing.Asterisk.Ari;
using Routing.Calls.Ports;
using Routing.Calls.Routing;
using Routing.Calls.Text;
using Routing.Engine.Centre;
using Routing.Engine.Operators;

namespace Routing.Engine.Text;

/// <summary>
/// The one owner of the text desk (every open text session): an actor with one mailbox, like the centre. ARI
/// TextMessageReceived, the centre (a console accepted, the centre gave up), the operator API and its own idle
/// timer only post inputs; the loop handles them one at a time, writes each step to the ledger and then acts:
/// queue the session in the centre, send the caller's reply or the agency's copy through ARI sendMessage.
/// Sends run beside the loop, one chain per session so a session's messages leave in order, and a slow
/// Asterisk delays one session's messages, not the desk.
/// </summary>
internal sealed partial class TextService : BackgroundService, ITextSessionSink
{
    private readonly Channel<TextInput> mailbox = Channel.CreateUnbounded<TextInput>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TextDesk desk;
    private readonly RoutePlanner planner;
    private readonly IAriRestClient ari;
    private readonly AriOptions ariOptions;
    private readonly ICallJournal journal;
    private readonly CentreService centre;
    private readonly ICallCentre queue;
    private readonly CentreEventHub hub;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    /// <summary>PJSIP/x → gateway key.</summary>
    private readonly Dictionary<string, string> gatewayOf = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>PJSIP/x → agency whose text desk it is (its messages back to callers are relayed).</summary>
    private readonly Dictionary<string, string> agencyOf = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Last picture of every session still open or closed in this run, for the API (thread-safe).</summary>
    private readonly ConcurrentDictionary<string, TextSessionDto> views = new(StringComparer.Ordinal);

    /// <summary>Per-session chain of sends, so one session's messages leave in order. Loop only.</summary>
    private readonly Dictionary<string, Task> sends = new(StringComparer.Ordinal);

    private readonly Routing.Ledger.LedgerReader? ledger;
    private readonly string nodeId;

    /// <summary>Sessions of earlier runs are the ones that arrived before this.</summary>
    private readonly DateTimeOffset startedAt;

    private ITimer? idleTimer;
    private volatile bool stopping;

    public TextService(TextOptions options, RoutingOptions routing, IAriRestClient ari, AriOptions ariOptions, ICallJournal journal,
        CentreService centre, CentreEventHub hub, TimeProvider time, ILogger<TextService> logger, Routing.Ledger.LedgerReader? ledger = null, string nodeId = "")
    {
        this.ledger = ledger;
        this.nodeId = nodeId;
        startedAt = time.GetUtcNow();
        Options = options;
        desk = new TextDesk(options);
        planner = new RoutePlanner(routing);
        this.ari = ari;
        this.ariOptions = ariOptions;
        this.journal = journal;
        this.centre = centre;
        queue = centre;
        this.hub = hub;
        this.time = time;
        this.logger = logger;
        foreach (var (key, gateway) in options.Gateways) gatewayOf[gateway.Endpoint] = key;
        foreach (var (agency, target) in options.Agencies)
        {
            if (AgencyEndpoint(target.To) is { } endpoint) agencyOf[endpoint] = agency;
        }

        centre.AttachText(this);
    }

    public TextOptions Options { get; }

    /// <summary>Endpoints the app must be subscribed to: the gateways, and the agencies' text desks (their replies).</summary>
    public IReadOnlyList<string> WatchedEndpoints => gatewayOf.Keys.Concat(agencyOf.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public IReadOnlyCollection<TextSessionDto> Sessions => views.Values.OrderBy(v => v.OpenedAt).ToList();

    public TextSessionDto? Session(string id) => id is not null && views.TryGetValue(id, out var v) ? v : null;

    public bool Post(TextInput input) => !stopping && mailbox.Writer.TryWrite(input);

    public void Received(TextMessageReceived message) => Post(new TextInput.Received(message));

    void ITextSessionSink.Assigned(string sessionId, string position, string user, TimeSpan waited) => Post(new TextInput.Assigned(sessionId, position, user, waited));

    void ITextSessionSink.GaveUp(string sessionId, string reason) => Post(new TextInput.GaveUp(sessionId, reason));

    /// <summary>A call-taker's action, answered once it is written (and its sends started).</summary>
    public async Task<ApiError?> AskAsync(string sessionId, OperatorIdentity who, string position, TextAction action, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<ApiError?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(new TextInput.Operator(sessionId, who, position, action, reply))) return new ApiError(503, "unavailable", "the text service is stopping");
        try
        {
            return await reply.Task.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new ApiError(503, "unavailable", $"the text service did not answer within {timeout}");
        }
    }

    /// <summary>Completes once every input posted before it was handled, and every send those inputs started.</summary>
    public async Task BarrierAsync()
    {
        var reply = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Post(new TextInput.Barrier(reply))) await reply.Task.ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await AdoptOpenSessionsAsync(stoppingToken).ConfigureAwait(false);
            ArmIdleTimer();
            while (await mailbox.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (mailbox.Reader.TryRead(out var input)) await HandleGuardedAsync(input).ConfigureAwait(false);
                ArmIdleTimer();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        stopping = true;
        idleTimer?.Dispose();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A bug in one input must not stop the desk, and with it every text caller.</summary>
    private async Task HandleGuardedAsync(TextInput input)
    {
        try
        {
            await HandleAsync(input).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping)
        {
            var id = input switch
            {
                TextInput.Operator o => o.SessionId,
                TextInput.Assigned a => a.SessionId,
                TextInput.GaveUp g => g.SessionId,
                _ => "-",
            };
            LogMessages.TextInputFailed(logger, id, input.GetType().Name, ex.Message, ex);
            if (input is TextInput.Operator op) op.Reply.TrySetResult(new ApiError(503, "unavailable", $"the text service failed on this request: {ex.GetType().Name}"));
        }
    }

    private async Task HandleAsync(TextInput input)
    {
        switch (input)
        {
            case TextInput.Received received:
                await OnReceivedAsync(received.Event).ConfigureAwait(false);
                break;
            case TextInput.Assigned assigned:
                await OnAssignedAsync(assigned).ConfigureAwait(false);
                break;
            case TextInput.GaveUp gaveUp:
                await OnGaveUpAsync(gaveUp).ConfigureAwait(false);
                break;
            case TextInput.SendFailed failed:
                await OnSendFailedAsync(failed).ConfigureAwait(false);
                break;
            case TextInput.Operator request:
                request.Reply.TrySetResult(await OnOperatorAsync(request).ConfigureAwait(false));
                break;
            case TextInput.Tick:
                await CloseIdleAsync().ConfigureAwait(false);
                break;
            case TextInput.Barrier barrier:
                var pending = sends.Values.ToArray();
                _ = Task.WhenAll(pending).ContinueWith(_ => barrier.Reply.TrySetResult(), TaskScheduler.Default);
                break;
        }
    }

    private void ArmIdleTimer()
    {
        idleTimer?.Dispose();
        idleTimer = null;
        TextMetrics.Open.Set(desk.OpenCount);
        if (desk.NextIdleAt is not { } due || stopping) return;
        var wait = due - time.GetUtcNow();
        idleTimer = time.CreateTimer(_ => Post(new TextInput.Tick()), null, wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
    }

    private async Task JournalAsync(string sessionId, string kind, string detail, string? legId = null)
    {
        try
        {
            await journal.AppendAsync(new CallEventRecord(sessionId, legId, time.GetUtcNow(), kind, detail), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping)
        {
            LogMessages.CentreJournalFailed(logger, sessionId, kind, ex.Message);
        }
    }

    /// <summary>The endpoint a pjsip: message destination goes through: <c>pjsip:x</c>, <c>pjsip:x/sip:…</c>,
    /// <c>pjsip:PJSIP/user@x</c> → <c>PJSIP/x</c>; null for a destination with no endpoint (a bare SIP URI).</summary>
    internal static string? AgencyEndpoint(string? to)
    {
        if (to is null || !to.StartsWith("pjsip:", StringComparison.Ordinal)) return null;
        var rest = to["pjsip:".Length..];
        if (rest.StartsWith("PJSIP/", StringComparison.Ordinal))
        {
            var at = rest.IndexOf('@', StringComparison.Ordinal);
            return at > 0 ? "PJSIP/" + rest[(at + 1)..] : null;
        }

        if (rest.StartsWith("sip:", StringComparison.Ordinal) || rest.StartsWith("sips:", StringComparison.Ordinal) || rest.StartsWith('<') || rest.StartsWith('"')) return null;
        var end = rest.IndexOfAny(['/', '@']);
        var name = end < 0 ? rest : rest[..end];
        return name.Length == 0 ? null : "PJSIP/" + name;
    }
}
