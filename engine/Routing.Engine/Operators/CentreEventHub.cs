using System.Threading.Channels;

namespace Routing.Engine.Operators;

/// <summary>One change for the live event stream. <paramref name="Positions"/> says which call-takers may
/// see it (null: everyone); supervisors see every event.</summary>
public sealed record CentreEvent(string Type, object Data, IReadOnlyCollection<string>? Positions = null);

/// <summary>An event as sent: its per-engine sequence number (the SSE <c>id:</c>) and the event.</summary>
public sealed record NumberedEvent(long Id, CentreEvent Event);

/// <summary>
/// Fans the centre's changes out to the consoles listening on <c>GET /api/events</c>. Publishing never
/// blocks and never fails: each subscriber has its own bounded buffer, and a subscriber too slow to keep
/// up loses the oldest events and is sent a fresh whole picture instead (<see cref="Subscription.NeedsResync"/>),
/// which is the whole truth again. A call-taker's subscription sees only what its position may see,
/// decided at delivery time, because the position a user is logged in to changes while it listens.
/// </summary>
public sealed class CentreEventHub
{
    public const int BufferPerSubscriber = 1024;

    private readonly Lock gate = new();
    private readonly List<Subscription> subscriptions = [];
    private long sequence;

    public int Subscribers
    {
        get
        {
            lock (gate)
            {
                return subscriptions.Count;
            }
        }
    }

    /// <param name="mayView">Whether this subscriber may see an event meant for these positions.</param>
    public Subscription Subscribe(Func<IReadOnlyCollection<string>, bool> mayView)
    {
        var subscription = new Subscription(this, mayView);
        lock (gate)
        {
            subscriptions.Add(subscription);
        }

        return subscription;
    }

    public void Publish(CentreEvent centreEvent)
    {
        ArgumentNullException.ThrowIfNull(centreEvent);
        Subscription[] targets;
        long id;
        lock (gate)
        {
            if (subscriptions.Count == 0)
            {
                return;
            }

            id = ++sequence;
            targets = subscriptions.ToArray();
        }

        var numbered = new NumberedEvent(id, centreEvent);
        foreach (var subscription in targets)
        {
            subscription.Offer(numbered);
        }
    }

    public long NextId()
    {
        lock (gate)
        {
            return ++sequence;
        }
    }

    private void Remove(Subscription subscription)
    {
        lock (gate)
        {
            subscriptions.Remove(subscription);
        }
    }

    public sealed class Subscription : IDisposable
    {
        private readonly CentreEventHub hub;
        private readonly Func<IReadOnlyCollection<string>, bool> mayView;
        private readonly Channel<NumberedEvent> buffer;
        private int resync;

        internal Subscription(CentreEventHub hub, Func<IReadOnlyCollection<string>, bool> mayView)
        {
            this.hub = hub;
            this.mayView = mayView;
            buffer = Channel.CreateBounded<NumberedEvent>(
                new BoundedChannelOptions(BufferPerSubscriber) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                _ => Volatile.Write(ref resync, 1));
        }

        public ChannelReader<NumberedEvent> Reader => buffer.Reader;

        /// <summary>True once after events were dropped: the reader should send the whole picture.</summary>
        public bool NeedsResync() => Interlocked.Exchange(ref resync, 0) == 1;

        internal void Offer(NumberedEvent numbered)
        {
            if (numbered.Event.Positions is { } positions && !mayView(positions))
            {
                return;
            }

            buffer.Writer.TryWrite(numbered);
        }

        public void Dispose()
        {
            hub.Remove(this);
            buffer.Writer.TryComplete();
        }
    }
}
