using Routing.Calls.Centre;
using Routing.Engine.Operators;

namespace Routing.Engine.Centre;

internal sealed partial class CentreService
{
    /// <summary>After a batch of inputs: publish the new picture (API, event stream, metrics) and arm the
    /// timer for the centre's next due time.</summary>
    private void AfterInputs()
    {
        var snapshot = centre.Snapshot();
        var next = BuildPicture(snapshot);
        var before = Volatile.Read(ref picture);
        Volatile.Write(ref picture, next);
        PublishChanges(before, next);
        UpdateGauges(snapshot);
        ArmTick();
    }

    private CentreDto BuildPicture(CentreSnapshot snapshot)
    {
        var callTakers = snapshot.CallTakers.Select(v => CentreDtoMapping.ToDto(v, users.GetValueOrDefault(v.Id))).ToList();
        var waiting = snapshot.Waiting.Select(w => CentreDtoMapping.ToDto(w, snapshot.At, calls.TryGetValue(w.CallId, out var c) ? EntryName(c) : null)).ToList();
        return new CentreDto(snapshot.At, callTakers, waiting, CentreDtoMapping.Groups(centre.Options, snapshot));
    }

    private static string EntryName(Routing.Calls.Ports.CentreCall call) => call.Request.Entry switch
    {
        Routing.Calls.CallEntry.Emergency112 => "112",
        Routing.Calls.CallEntry.App => "app",
        Routing.Calls.CallEntry.Sos => "sos",
        Routing.Calls.CallEntry.Direct => "direct",
        _ => call.Request.Entry.ToString().ToLowerInvariant(),
    };

    private void PublishChanges(CentreDto before, CentreDto after)
    {
        var old = before.CallTakers.ToDictionary(c => c.Position, StringComparer.OrdinalIgnoreCase);
        foreach (var callTaker in after.CallTakers)
        {
            if (!old.TryGetValue(callTaker.Position, out var was) || !SameCallTaker(was, callTaker))
            {
                hub.Publish(new CentreEvent("calltaker", callTaker));
            }
        }

        var signature = QueueSignature(after);
        if (signature != lastQueueSignature)
        {
            lastQueueSignature = signature;
            hub.Publish(new CentreEvent("queue", new QueueDto(after.Waiting, after.Groups)));
        }
    }

    private static bool SameCallTaker(CallTakerDto a, CallTakerDto b) =>
        a.State == b.State && a.User == b.User && a.Reachable == b.Reachable && a.PauseReason == b.PauseReason && a.CallId == b.CallId && a.Since == b.Since;

    private static string QueueSignature(CentreDto picture) =>
        string.Join('|', picture.Waiting.Select(w => $"{w.CallId}:{w.Group}:{w.Priority}:{w.Place}:{string.Join(',', w.OfferedTo)}"));

    private void UpdateGauges(CentreSnapshot snapshot)
    {
        foreach (var group in centre.Options.Groups.Keys)
        {
            var waiting = snapshot.Waiting.Where(w => w.Groups.Count > 0 && string.Equals(w.Groups[^1], group, StringComparison.OrdinalIgnoreCase)).ToList();
            foreach (var priority in Enum.GetValues<CallPriority>())
            {
                CentreMetrics.Waiting.WithLabels(group, CentreDtoMapping.PriorityName(priority)).Set(waiting.Count(w => w.Priority == priority));
            }

            CentreMetrics.LongestWait.WithLabels(group).Set(waiting.Count == 0 ? 0 : waiting.Max(w => (snapshot.At - w.FirstQueuedAt).TotalSeconds));
        }

        foreach (var state in Enum.GetValues<CallTakerState>())
        {
            CentreMetrics.CallTakers.WithLabels(state.ToString()).Set(snapshot.CallTakers.Count(c => c.State == state && (c.Reachable || state == CallTakerState.LoggedOut)));
        }

        CentreMetrics.CallTakers.WithLabels("Unreachable").Set(snapshot.CallTakers.Count(c => !c.Reachable && c.State != CallTakerState.LoggedOut));
    }

    private void ArmTick()
    {
        var due = centre.NextDueAt;
        if (due == tickDue || stopping)
        {
            return;
        }

        tickTimer?.Dispose();
        tickTimer = null;
        tickDue = due;
        if (due is { } at)
        {
            var delay = at - time.GetUtcNow();
            tickTimer = time.CreateTimer(_ => Post(new CentreInput.Tick()), null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        }
    }
}
