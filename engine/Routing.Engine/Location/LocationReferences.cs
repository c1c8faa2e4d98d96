using System.Security.Cryptography;
using System.Text;
using Routing.Calls;
using Routing.Calls.Location;
using Routing.Calls.Ports;

namespace Routing.Engine.Location;

/// <summary>What a fetched reference stands for now.</summary>
internal enum ReferenceState
{
    /// <summary>No reference with this token was ever issued (or it was forgotten long ago): nothing to record it on.</summary>
    Unknown,

    /// <summary>The call lives, or ended less than <c>LocationReference:Grace</c> ago: its location is served.</summary>
    Serving,

    /// <summary>The call ended longer ago than the grace: refused, on the call's record.</summary>
    Spent,
}

/// <param name="Location">The call's current location (its last one when it has ended); null when none is known yet.</param>
internal sealed record ReferenceLookup(ReferenceState State, string? CallId, string? Fingerprint, CallLocation? Location, DateTimeOffset? EndedAt);

/// <summary>
/// The unguessable references of calls' locations (256 random bits per call, base64url), issued for legs to trunks
/// that take PIDF-LO and looked up when an agency fetches one. Only a hash of each token is kept. A reference
/// serves while its call lives and <see cref="LocationReferenceOptions.Grace"/> after; then it is remembered as spent
/// for <see cref="LocationReferenceOptions.RememberSpent"/> (so a late fetch is recorded on its call), bounded in count.
/// </summary>
internal sealed class LocationReferences(LocationReferenceOptions options, TimeProvider time) : ILocationReferences
{
    /// <summary>32 random bytes in base64url, no padding.</summary>
    public const int TokenLength = 43;

    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _byHash = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry> _byCall = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _issued = new();

    public int Count
    {
        get
        {
            lock (_gate) return _byHash.Count;
        }
    }

    public LocationReference ReferenceFor(Call call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Issue(call.CallId, () => call.Snapshot.Location, call.Completion);
    }

    /// <param name="current">The call's location now (read on each fetch while the call lives).</param>
    /// <param name="completion">Completes when the call ends: its last location is kept and the call let go.</param>
    internal LocationReference Issue(string callId, Func<CallLocation?> current, Task completion)
    {
        Entry entry;
        lock (_gate)
        {
            if (_byCall.TryGetValue(callId, out var known)) return known.Reference;
            var token = Base64Url(RandomNumberGenerator.GetBytes(32));
            var hash = Hash(token);
            entry = new Entry(callId, current, hash, new LocationReference(options.UriFor(token), hash[..12]));
            _byHash[hash] = entry;
            _byCall[callId] = entry;
            entry.Node = _issued.AddLast(entry);
            Prune(time.GetUtcNow());
        }

        _ = completion.ContinueWith(_ => entry.End(time.GetUtcNow()), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return entry.Reference;
    }

    public ReferenceLookup Find(string? token)
    {
        if (!WellFormed(token)) return new ReferenceLookup(ReferenceState.Unknown, null, null, null, null);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_byHash.TryGetValue(Hash(token!), out var entry)) return new ReferenceLookup(ReferenceState.Unknown, null, null, null, null);
            var (location, endedAt) = entry.Current();
            if (endedAt < now - options.Grace - options.RememberSpent)
            {
                Forget(entry);
                return new ReferenceLookup(ReferenceState.Unknown, null, null, null, null);
            }

            var state = endedAt is { } ended && now - ended > options.Grace ? ReferenceState.Spent : ReferenceState.Serving;
            return new ReferenceLookup(state, entry.CallId, entry.Reference.Fingerprint, state == ReferenceState.Serving ? location : null, endedAt);
        }
    }

    /// <summary>Spent references past <see cref="LocationReferenceOptions.RememberSpent"/> go, then the oldest ones
    /// beyond <see cref="LocationReferenceOptions.MaxReferences"/> (a spent one is forgotten before a live one).</summary>
    private void Prune(DateTimeOffset now)
    {
        var forgetBefore = now - options.Grace - options.RememberSpent;
        for (var node = _issued.First; node is not null;)
        {
            var next = node.Next;
            var (_, endedAt) = node.Value.Current();
            if (endedAt < forgetBefore || (_byHash.Count > options.MaxReferences && endedAt is not null)) Forget(node.Value);
            node = next;
        }

        while (_byHash.Count > options.MaxReferences && _issued.First is { } oldest) Forget(oldest.Value);
    }

    private void Forget(Entry entry)
    {
        _byHash.Remove(entry.Hash);
        _byCall.Remove(entry.CallId);
        if (entry.Node is { List: not null } node) _issued.Remove(node);
    }

    /// <summary>How a fetched token goes on the record: its fingerprint (the one its issue was recorded with, had it
    /// been issued), never the token itself; a malformed one by its length only.</summary>
    public static string Describe(string? token) =>
        WellFormed(token) ? "#" + Hash(token!)[..12] : $"(malformed, {token?.Length ?? 0} characters)";

    private static bool WellFormed(string? token) =>
        token is { Length: TokenLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class Entry(string callId, Func<CallLocation?> current, string hash, LocationReference reference)
    {
        private readonly object _gate = new();
        private Func<CallLocation?>? _current = current;
        private CallLocation? _last;
        private DateTimeOffset? _endedAt;

        public string CallId { get; } = callId;

        public string Hash { get; } = hash;

        public LocationReference Reference { get; } = reference;

        public LinkedListNode<Entry>? Node { get; set; }

        public (CallLocation? Location, DateTimeOffset? EndedAt) Current()
        {
            lock (_gate) return _current is { } live ? (live(), null) : (_last, _endedAt);
        }

        public void End(DateTimeOffset at)
        {
            lock (_gate)
            {
                if (_current is null) return;
                _last = _current();
                _endedAt = at;
                _current = null;
            }
        }
    }
}
