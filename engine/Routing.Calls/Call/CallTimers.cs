using Routing.Calls.Ports;

namespace Routing.Calls;

/// <summary>The call's timer slots. Each slot holds at most one pending timer.</summary>
internal enum CallTimer
{
    /// <summary>The current state's own bound (answer, menu digit, queue, operator queue, connected check).</summary>
    State,

    /// <summary>A prompt that never reports PlaybackFinished counts as finished after Timers.Prompt.</summary>
    Prompt,

    /// <summary>The ring timeout of the leg being dialled.</summary>
    Ring,

    /// <summary>The bound on the whole dialing plan, across regions (Timers.DialingTotal).</summary>
    DialingTotal,

    /// <summary>The "connecting" prompt of a dialled caller, due Timers.ConnectingPrompt after the first dial:
    /// an agency that answers sooner cancels it, so no prompt is started only to be stopped a moment later.</summary>
    ConnectingPrompt,
}

/// <summary>
/// Timers that post <see cref="CallInput.TimerElapsed"/> into the call's mailbox instead of running
/// code on a timer thread, so everything a call does stays in its one loop. Arming or cancelling a
/// slot bumps its generation: an elapsed input already in the mailbox is then recognised as stale.
/// Used only from the call's loop (the callbacks touch nothing but the mailbox).
/// </summary>
internal sealed class CallTimers(TimeProvider time, Func<CallInput, bool> post) : IDisposable
{
    private static readonly int Slots = Enum.GetValues<CallTimer>().Length;
    private readonly ITimer?[] _timers = new ITimer?[Slots];
    private readonly long[] _generations = new long[Slots];
    private bool _disposed;

    public void Arm(CallTimer slot, TimeSpan due)
    {
        if (_disposed) return;
        Cancel(slot);
        var generation = _generations[(int)slot];
        _timers[(int)slot] = time.CreateTimer(_ => post(new CallInput.TimerElapsed(slot, generation)), null, due, Timeout.InfiniteTimeSpan);
    }

    public void Cancel(CallTimer slot)
    {
        _timers[(int)slot]?.Dispose();
        _timers[(int)slot] = null;
        _generations[(int)slot]++;
    }

    public bool IsArmed(CallTimer slot) => _timers[(int)slot] is not null;

    /// <summary>True when this elapsed input is the slot's live timer; the slot is then empty.</summary>
    public bool TryConsume(CallInput.TimerElapsed elapsed)
    {
        if (_disposed || _timers[(int)elapsed.Timer] is null || _generations[(int)elapsed.Timer] != elapsed.Generation) return false;
        Cancel(elapsed.Timer);
        return true;
    }

    public void Dispose()
    {
        if (_disposed) return;
        foreach (var slot in Enum.GetValues<CallTimer>()) Cancel(slot);
        _disposed = true;
    }
}
