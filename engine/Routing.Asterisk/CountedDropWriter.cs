using System.Threading.Channels;

namespace Routing.Asterisk;

/// <summary>
/// Writes to a bounded channel without ever waiting on its reader: a socket reader that waits on
/// business logic gets its connection closed by Asterisk (websocket_write_timeout, 100 ms). When the
/// channel is full the item is dropped and counted, and a "lost N" marker is written ahead of the
/// next item as soon as there is room, so the consumer knows to reconcile. Nothing is dropped silently.
/// </summary>
internal sealed class CountedDropWriter<T> : IDisposable
{
    private readonly ChannelWriter<T> _writer;
    private readonly Func<long, T> _lostMarker;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private long _pendingLost;
    private long _totalLost;
    private Task? _flusher;

    public CountedDropWriter(ChannelWriter<T> writer, Func<long, T> lostMarker)
    {
        _writer = writer;
        _lostMarker = lostMarker;
    }

    /// <summary>Items dropped since start because the channel was full.</summary>
    public long TotalLost => Interlocked.Read(ref _totalLost);

    /// <summary>Returns false if the item was dropped (and counted).</summary>
    public bool Write(T item)
    {
        lock (_gate)
        {
            if (_pendingLost > 0 && !TryFlushLocked())
            {
                CountLostLocked();
                return false;
            }
            if (_writer.TryWrite(item)) return true;
            CountLostLocked();
            return false;
        }
    }

    private void CountLostLocked()
    {
        _pendingLost++;
        Interlocked.Increment(ref _totalLost);
        // Report the loss as soon as the reader frees a slot, even if no further item arrives.
        if (_flusher is null || _flusher.IsCompleted) _flusher = FlushWhenRoomAsync();
    }

    private bool TryFlushLocked()
    {
        if (!_writer.TryWrite(_lostMarker(_pendingLost))) return false;
        _pendingLost = 0;
        return true;
    }

    private async Task FlushWhenRoomAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            bool open;
            try
            {
                open = await _writer.WaitToWriteAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!open) return;
            lock (_gate)
            {
                if (_pendingLost == 0 || TryFlushLocked()) return;
            }
        }
    }

    // Only cancels: the flusher may still read the token, and a CTS without a timer holds nothing to free.
    public void Dispose() => _stop.Cancel();
}
