using System.Globalization;

namespace Routing.Engine.Overload;

/// <summary>What the guard says about a new caller.</summary>
/// <param name="Signal">Which signal is over its threshold (a metric label: event_age, rest_latency,
/// event_backlog, ledger_backlog); null when the caller is admitted.</param>
/// <param name="Reason">The signal and its value, for the ledger and the log.</param>
internal readonly record struct Admission(string? Signal, string? Reason)
{
    public static readonly Admission Admit = new(null, null);

    public bool Shed => Signal is not null;
}

/// <summary>
/// The engine's own lag, and the decision to shed new callers to the dialplan fallback before they suffer
/// from it (issue 11, item 4). Fed from the hot paths (every ARI event's age, every call's REST latency;
/// a lock and a few additions, no allocation) and asked once per new caller at StasisStart, where it also
/// reads the two backlogs. Shedding starts when any signal reaches its threshold and stops, by itself,
/// once every signal has stayed below <see cref="OverloadOptions.RecoverFraction"/> of its threshold for
/// <see cref="OverloadOptions.RecoverAfter"/> (hysteresis). Only new callers are ever shed: a call already
/// with a person or an agency is never asked about.
/// </summary>
internal sealed class OverloadGuard
{
    private readonly OverloadOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<long> _eventBacklog;
    private readonly Func<long> _ledgerBacklog;
    private readonly Lock _lock = new();
    private readonly LagWindow _eventAge;
    private readonly LagWindow _restLatency;
    private readonly long _originTicks;
    private long _restPending;
    private long _restPendingStartSum;
    private bool _shedding;
    private long? _calmSinceTicks;
    private long _shedSinceLog;
    private long _lastShedLogTicks = long.MinValue;

    public OverloadGuard(OverloadOptions options, TimeProvider time, Func<long> eventBacklog, Func<long> ledgerBacklog)
    {
        _options = options;
        _time = time;
        _eventBacklog = eventBacklog;
        _ledgerBacklog = ledgerBacklog;
        _eventAge = new LagWindow(options.Window.Ticks);
        _restLatency = new LagWindow(options.Window.Ticks);
        _originTicks = time.GetUtcNow().UtcTicks;
    }

    /// <summary>True while new callers are being shed.</summary>
    public bool Shedding
    {
        get
        {
            lock (_lock) return _shedding;
        }
    }

    /// <summary>An ARI event arrived carrying Asterisk's <paramref name="timestamp"/>. A clock ahead of ours
    /// counts as no lag, not as negative lag.</summary>
    public void EventReceived(DateTimeOffset timestamp)
    {
        if (!_options.Enabled || _options.EventAge == TimeSpan.Zero || timestamp == default) return;
        var now = _time.GetUtcNow().UtcTicks;
        var age = Math.Max(0, now - timestamp.UtcTicks);
        lock (_lock) _eventAge.Add(now, age);
    }

    /// <summary>A call's REST request was answered (or failed) after <paramref name="latency"/>.</summary>
    public void RestCompleted(TimeSpan latency)
    {
        if (!_options.Enabled || _options.RestLatency == TimeSpan.Zero) return;
        var now = _time.GetUtcNow().UtcTicks;
        lock (_lock) _restLatency.Add(now, Math.Max(0, latency.Ticks));
    }

    /// <summary>A call's REST request is being sent. Until <see cref="RestEnded"/> it counts as lag for as long as it has
    /// been waiting: a stalled Asterisk answers nothing, so the latency of answered requests alone would show the stall
    /// only once it ends or times out (5 s), while every new caller is still taken in. At 150 calls/s on a real
    /// Asterisk the engine took ~350 callers into Stasis in the 2.3 s before the first answers came back slow.</summary>
    /// <returns>What <see cref="RestEnded"/> needs; 0 when the signal is off.</returns>
    public long RestStarted()
    {
        if (!_options.Enabled || _options.RestLatency == TimeSpan.Zero) return 0;
        var now = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            _restPending++;
            _restPendingStartSum += now - _originTicks;
        }

        return now;
    }

    /// <summary>The request of <see cref="RestStarted"/> was answered, failed or timed out: its whole wait becomes a
    /// latency sample.</summary>
    public void RestEnded(long started)
    {
        if (started == 0) return;
        var now = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            _restPending--;
            _restPendingStartSum -= started - _originTicks;
            _restLatency.Add(now, Math.Max(0, now - started));
        }
    }

    /// <summary>Asked for each new caller: route it, or shed it to the dialplan fallback.</summary>
    public Admission Admit(out Transition transition)
    {
        transition = Transition.None;
        if (!_options.Enabled) return Admission.Admit;
        var eventBacklog = _eventBacklog();
        var ledgerBacklog = _ledgerBacklog();
        lock (_lock)
        {
            var now = _time.GetUtcNow().UtcTicks;
            var age = _eventAge.Mean(now);
            // The slower of what came back and what is still waiting (its mean age so far).
            var rest = _restLatency.Mean(now);
            if (_restPending > 0) rest = Math.Max(rest, Math.Max(0, now - _originTicks - (double)_restPendingStartSum / _restPending));
            var over = Over(age, rest, eventBacklog, ledgerBacklog);
            if (over.Shed)
            {
                _calmSinceTicks = null;
                if (!_shedding) transition = Transition.StartedShedding;
                _shedding = true;
                return over;
            }
            if (!_shedding) return Admission.Admit;
            if (!Calm(age, rest, eventBacklog, ledgerBacklog))
            {
                // Below the thresholds but not yet well below: keep shedding, for the same reason as before.
                _calmSinceTicks = null;
                return new Admission("recovering", Describe("recovering", age, rest, eventBacklog, ledgerBacklog));
            }
            _calmSinceTicks ??= now;
            if (now - _calmSinceTicks.Value < _options.RecoverAfter.Ticks)
                return new Admission("recovering", Describe("recovering", age, rest, eventBacklog, ledgerBacklog));
            _shedding = false;
            _calmSinceTicks = null;
            transition = Transition.Recovered;
            return Admission.Admit;
        }
    }

    /// <summary>Counts a shed caller; returns how many were shed since the last log line when one is due
    /// (at most one per <see cref="OverloadOptions.ShedLogInterval"/>), else null.</summary>
    public long? CountShed()
    {
        var now = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            _shedSinceLog++;
            if (_lastShedLogTicks != long.MinValue && now - _lastShedLogTicks < _options.ShedLogInterval.Ticks) return null;
            _lastShedLogTicks = now;
            var count = _shedSinceLog;
            _shedSinceLog = 0;
            return count;
        }
    }

    private Admission Over(double age, double rest, long eventBacklog, long ledgerBacklog)
    {
        var o = _options;
        if (o.EventAge > TimeSpan.Zero && age >= o.EventAge.Ticks) return Shed("event_age", age, rest, eventBacklog, ledgerBacklog);
        if (o.RestLatency > TimeSpan.Zero && rest >= o.RestLatency.Ticks) return Shed("rest_latency", age, rest, eventBacklog, ledgerBacklog);
        if (o.EventBacklog > 0 && eventBacklog >= o.EventBacklog) return Shed("event_backlog", age, rest, eventBacklog, ledgerBacklog);
        if (o.LedgerBacklog > 0 && ledgerBacklog >= o.LedgerBacklog) return Shed("ledger_backlog", age, rest, eventBacklog, ledgerBacklog);
        return Admission.Admit;

        Admission Shed(string signal, double a, double r, long e, long l) => new(signal, Describe(signal, a, r, e, l));
    }

    private bool Calm(double age, double rest, long eventBacklog, long ledgerBacklog)
    {
        var o = _options;
        var f = o.RecoverFraction;
        return (o.EventAge == TimeSpan.Zero || age < o.EventAge.Ticks * f)
            && (o.RestLatency == TimeSpan.Zero || rest < o.RestLatency.Ticks * f)
            && (o.EventBacklog == 0 || eventBacklog < o.EventBacklog * f)
            && (o.LedgerBacklog == 0 || ledgerBacklog < o.LedgerBacklog * f);
    }

    private static string Describe(string signal, double age, double rest, long eventBacklog, long ledgerBacklog) => string.Create(CultureInfo.InvariantCulture,
        $"{signal}: event age {age / TimeSpan.TicksPerMillisecond:0} ms, REST latency {rest / TimeSpan.TicksPerMillisecond:0} ms, event backlog {eventBacklog}, ledger backlog {ledgerBacklog}");

    public enum Transition
    {
        None,
        StartedShedding,
        Recovered,
    }
}
