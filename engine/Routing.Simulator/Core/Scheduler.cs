using System.Collections.Concurrent;

namespace Routing.Simulator.Core;

/// <summary>
/// Runs delayed actions through the injected <see cref="TimeProvider"/> (a fake clock in tests).
/// Keeps every pending timer referenced (an unreferenced System.Threading.Timer may be collected and never fire)
/// and disposes them all on shutdown.
/// </summary>
internal sealed class Scheduler : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Action<Exception> _onError;
    private readonly ConcurrentDictionary<long, Handle> _pending = new();
    private long _nextId;
    private volatile bool _disposed;

    public Scheduler(TimeProvider time, Action<Exception> onError)
    {
        _time = time;
        _onError = onError;
    }

    public int Pending => _pending.Count;

    /// <summary>Runs <paramref name="action"/> after <paramref name="due"/>; dispose the handle to cancel.</summary>
    public IDisposable Schedule(TimeSpan due, Action action)
    {
        // Never zero: a fake clock fires a zero-due timer inside CreateTimer, i.e. re-entrantly under the caller's lock.
        if (due < TimeSpan.FromTicks(1)) due = TimeSpan.FromTicks(1);
        var handle = new Handle(this, Interlocked.Increment(ref _nextId), action);
        if (_disposed) return handle;
        _pending[handle.Id] = handle;
        handle.Attach(_time.CreateTimer(static state => ((Handle)state!).Fire(), handle, due, Timeout.InfiniteTimeSpan));
        return handle;
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var handle in _pending.Values) handle.Dispose();
        _pending.Clear();
    }

    private sealed class Handle(Scheduler owner, long id, Action action) : IDisposable
    {
        private ITimer? _timer;
        private int _done;
        public long Id { get; } = id;

        public void Attach(ITimer timer)
        {
            _timer = timer;
            if (Volatile.Read(ref _done) == 1) timer.Dispose();
        }

        public void Fire()
        {
            if (Interlocked.Exchange(ref _done, 1) == 1) return;
            owner._pending.TryRemove(Id, out _);
            _timer?.Dispose();
            if (owner._disposed) return;
            try
            {
                action();
            }
            catch (Exception ex)
            {
                // A timer callback must not take the process down; the error is counted and kept for the test to see.
                owner._onError(ex);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 1) return;
            owner._pending.TryRemove(Id, out _);
            _timer?.Dispose();
        }
    }
}
