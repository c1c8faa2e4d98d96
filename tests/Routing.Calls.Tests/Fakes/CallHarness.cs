using Microsoft.Extensions.Time.Testing;
using Routing.Calls.Ports;
using Routing.Calls.Routing;

namespace Routing.Calls.Tests.Fakes;

/// <summary>A call wired to fake ports and a fake clock. Every step waits until the call's loop has
/// handled everything posted so far (a condition with a timeout, never a blind sleep).</summary>
public sealed class CallHarness
{
    public const string CallerChannel = "1795486382.2";
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    public CallHarness(IReadOnlyList<string>? stasisArgs = null, string callerNumber = "+77271234567", RoutingOptions? options = null,
        string channelLanguage = "", Action<FakeTelephony>? setup = null, bool withCentre = false, ILocationReferences? references = null)
    {
        Options = options ?? TestOptions.Default();
        Telephony = new FakeTelephony(Log);
        Journal = new FakeJournal(Log);
        setup?.Invoke(Telephony);
        Arrival = new CallArrival(CallerChannel, callerNumber, "Caller", "112", stasisArgs ?? [], channelLanguage, Time.GetUtcNow());
        Centre = withCentre ? new FakeCentre(Log) : null;
        Call = new Call(Arrival, new CallDependencies(Telephony, Journal, Observer, Options, Time, Centre: Centre, LocationReferences: references));
        Call.LegChannelPlanned += leg => Log.Add($"planned {leg}");
    }

    public EventLog Log { get; } = new();
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 24, 2, 13, 0, TimeSpan.Zero));
    public FakeTelephony Telephony { get; }
    public FakeJournal Journal { get; }
    public FakeObserver Observer { get; } = new();

    /// <summary>The call-taker centre the call talks to, when made <c>withCentre</c>.</summary>
    public FakeCentre? Centre { get; }
    public RoutingOptions Options { get; }
    public CallArrival Arrival { get; }
    public Call Call { get; }

    public CallState State => Call.Snapshot.State;

    public string LastPlaybackId => Telephony.Plays[^1].Id;

    public string LastMedia => Telephony.Plays[^1].Media;

    public string LastLeg => Telephony.Dials[^1].LegChannelId;

    public IReadOnlyList<string> Media => Telephony.Plays.Select(p => p.Media).ToList();

    public async Task StartAsync()
    {
        Call.Start();
        await IdleAsync();
    }

    public async Task SendAsync(params CallInput[] inputs)
    {
        foreach (var input in inputs) Call.Post(input);
        await IdleAsync();
    }

    public Task DigitAsync(char digit) => SendAsync(new CallInput.CallerDtmf(digit));

    /// <summary>The prompt playing now reports PlaybackFinished.</summary>
    public Task FinishPromptAsync() => SendAsync(new CallInput.PlaybackFinished(LastPlaybackId, false));

    public Task HangUpAsync() => SendAsync(new CallInput.CallerHungUp(16));

    public Task AnswerLegAsync() => SendAsync(new CallInput.LegAnswered(LastLeg));

    public Task LegBusyAsync() => SendAsync(new CallInput.LegEnded(LastLeg, 17, "User busy"));

    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await IdleAsync();
    }

    /// <summary>112 → greeting → language menu → language digit → service menu → service digit.</summary>
    public async Task ChooseAsync(char language, char service)
    {
        await StartAsync();
        await FinishPromptAsync(); // greeting
        await FinishPromptAsync(); // language menu
        await DigitAsync(language);
        await FinishPromptAsync(); // service menu
        await DigitAsync(service);
    }

    public async Task IdleAsync()
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (!Call.IsIdle)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"call did not become idle; state {State}; log:\n{string.Join("\n", Log.Entries)}");
            await Task.Delay(1);
        }
    }

    /// <summary>For a loop that is busy on purpose (a command that hangs): waits for what it did so far.</summary>
    public async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not happen; state {State}; log:\n{string.Join("\n", Log.Entries)}");
            await Task.Delay(1);
        }
    }

    public async Task EndedAsync()
    {
        var finished = await Task.WhenAny(Call.Completion, Task.Delay(WaitLimit));
        Assert.True(finished == Call.Completion, $"call did not end; state {State}; log:\n{string.Join("\n", Log.Entries)}");
    }

    public IReadOnlyList<string> Outcomes => Journal.EventsOf("outcome").Select(e => e.Detail).ToList();

    public int IndexOf(string entry) => Log.IndexOf(entry);
}
