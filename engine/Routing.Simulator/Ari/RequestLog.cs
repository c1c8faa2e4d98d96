using System.Collections.Concurrent;

namespace Routing.Simulator.Ari;

/// <summary>The ARI requests received, newest kept up to a bound so a long load run stays small.</summary>
internal sealed class RequestLog(int capacity)
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Record(RecordedRequest request)
    {
        Interlocked.Increment(ref _total);
        if (capacity == 0) return;
        _requests.Enqueue(request);
        while (_requests.Count > capacity && _requests.TryDequeue(out _)) { }
    }

    public IReadOnlyList<RecordedRequest> Snapshot() => _requests.ToArray();
}
