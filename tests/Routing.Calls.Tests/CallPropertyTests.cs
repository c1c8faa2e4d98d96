using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Routing.Calls.Ports;
using Routing.Calls.Tests.Fakes;

namespace Routing.Calls.Tests;

/// <summary>Whatever Asterisk, the caller and the agencies do, in whatever order: once the caller
/// hangs up and the timers have run, the call has ended with exactly one explicit outcome.</summary>
public class CallPropertyTests
{
    /// <summary>One thing that happens to a call; <see cref="N"/> picks a digit, a leg or seconds.</summary>
    public sealed record Step(string Kind, int N)
    {
        public override string ToString() => $"{Kind}({N})";
    }

    private static readonly string[] Kinds =
    [
        "digit", "digit", "digit", "promptDone", "stalePrompt", "legRinging", "legAnswered", "legAnswered", "legBusy",
        "staleLegAnswered", "staleLegEnded", "reconciled", "advance", "advance", "failNext", "callerHangUp",
    ];

    private static readonly string[][] Entries = [[], ["app"], ["direct", "police"], ["direct", "fire"], ["sos"], ["sos", "x"], ["garbage", "\u0000"]];

    private static readonly string[] FailPrefixes = ["play", "dial", "addToBridge", "startMoh", "answer", "createBridge", "hangup", "continue"];

    public static Arbitrary<Step[]> Scenarios() =>
        Gen.Elements(Kinds).SelectMany(kind => Gen.Choose(0, 60).Select(n => new Step(kind, n)))
            .ArrayOf()
            .ToArbitrary();

    [Property(MaxTest = 150, Arbitrary = [typeof(CallPropertyTests)])]
    public bool Any_sequence_of_inputs_ends_in_exactly_one_outcome_once_the_caller_hangs_up(Step[] steps, byte entry)
    {
        return RunAsync(steps, Entries[entry % Entries.Length]).GetAwaiter().GetResult();
    }

    private static async Task<bool> RunAsync(Step[] steps, string[] args)
    {
        var h = new CallHarness(args, callerNumber: args.Length > 0 && args[0] == "sos" ? "+77270000101" : "+77171234567");
        await h.StartAsync();
        foreach (var step in steps.Take(40))
        {
            var leg = h.Telephony.Dials.Count > 0 ? h.LastLeg : "no-leg";
            switch (step.Kind)
            {
                case "digit": h.Call.Post(new CallInput.CallerDtmf("0123456789*#"[step.N % 12])); break;
                case "promptDone": if (h.Telephony.Plays.Count > 0) h.Call.Post(new CallInput.PlaybackFinished(h.LastPlaybackId, step.N % 7 == 0)); break;
                case "stalePrompt": h.Call.Post(new CallInput.PlaybackFinished($"old-{step.N}", false)); break;
                case "legRinging": h.Call.Post(new CallInput.LegRinging(leg)); break;
                case "legAnswered": h.Call.Post(new CallInput.LegAnswered(leg)); break;
                case "legBusy": h.Call.Post(new CallInput.LegEnded(leg, step.N % 2 == 0 ? 17 : 16, "cause")); break;
                case "staleLegAnswered": h.Call.Post(new CallInput.LegAnswered($"fire-x-{step.N}")); break;
                case "staleLegEnded": h.Call.Post(new CallInput.LegEnded($"fire-x-{step.N}", 16, "Normal")); break;
                case "reconciled": h.Call.Post(new CallInput.Reconciled()); break;
                case "advance": h.Time.Advance(TimeSpan.FromSeconds(step.N)); break;
                case "failNext": h.Telephony.Fail(FailPrefixes[step.N % FailPrefixes.Length], resourceGone: step.N % 3 == 0, times: 1); break;
                case "callerHangUp": h.Call.Post(new CallInput.CallerHungUp(16)); break;
            }
            await h.IdleAsync();
        }

        h.Call.Post(new CallInput.CallerHungUp(16));
        await h.IdleAsync();
        // Even a caller who stays on: every wait is bounded (a bridged call is ended by the hang-up above).
        for (var i = 0; i < 20 && !h.Call.Completion.IsCompleted; i++)
        {
            h.Time.Advance(TimeSpan.FromMinutes(1));
            await h.IdleAsync();
        }
        await h.EndedAsync();

        var outcomes = h.Outcomes;
        var outcome = h.Call.Snapshot.Outcome;
        var abandoned = outcome is CallOutcome.AbandonedInIvr or CallOutcome.AbandonedInQueue;
        return outcomes.Count == 1
            && outcome is not null
            && outcomes[0] == outcome.ToString()
            && h.Call.Snapshot.State == CallState.Ended
            && h.Call.Completion.IsCompletedSuccessfully
            && h.Observer.Ended.Count == 1
            && h.Journal.EventsOf("callback.required").Count == (abandoned ? 1 : 0)
            && h.Journal.EventsOf("state")[^1].Detail.EndsWith("-> Ended", StringComparison.Ordinal)
            && !h.Journal.EventsOf("call.error").Any();
    }
}
