using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Routing.Engine.Operators;

namespace Routing.Engine.SignIn;

public enum SignInResult { SignedIn, Wrong, LockedOut }

/// <summary>
/// Signs console users in and keeps their sessions (in memory: a restarted engine asks everyone to sign in
/// again, which a 112 centre notices at once and costs a few seconds). A session token is 32 random bytes;
/// only its SHA-256 is kept, so a memory dump holds no usable cookie. After
/// <see cref="SignInOptions.MaxFailures"/> wrong passwords in a row a user is locked out for
/// <see cref="SignInOptions.Lockout"/>, whether or not the user exists (the answer does not tell which).
/// </summary>
public sealed class ConsoleSessions(SignInOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Session> sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Failures> failures = new(StringComparer.OrdinalIgnoreCase);

    public (SignInResult Result, string? Token, OperatorIdentity? Identity, TimeSpan RetryAfter) SignIn(string? user, string? password)
    {
        var name = (user ?? "").Trim();
        var now = time.GetUtcNow();
        if (failures.TryGetValue(name, out var failed) && failed.LockedUntil > now)
        {
            return (SignInResult.LockedOut, null, null, failed.LockedUntil - now);
        }

        if (options.Users.TryGetValue(name, out var configured) && configured.PasswordHash is { } stored
            && PasswordHash.Verify(password ?? "", stored) && OperatorIdentity.TryParseRole(configured.Role, out var role))
        {
            failures.TryRemove(name, out _);
            var token = NewToken();
            var identity = new OperatorIdentity(options.Users.Keys.First(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)), role);
            sessions[Key(token)] = new Session(identity, now + options.SessionLifetime);
            return (SignInResult.SignedIn, token, identity, TimeSpan.Zero);
        }

        var count = failures.AddOrUpdate(name, _ => new Failures(1, DateTimeOffset.MinValue), (_, f) => f with { Count = f.Count + 1 });
        if (count.Count >= options.MaxFailures)
        {
            failures[name] = new Failures(0, now + options.Lockout);
            return (SignInResult.LockedOut, null, null, options.Lockout);
        }

        return (SignInResult.Wrong, null, null, TimeSpan.Zero);
    }

    /// <summary>A session for an in-process client that has no password (the synthetic call-takers of
    /// <c>make run</c>); null when sign-in is off. Never reachable over HTTP.</summary>
    public string? SignInTrusted(OperatorIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (!options.Enabled)
        {
            return null;
        }

        var token = NewToken();
        sessions[Key(token)] = new Session(identity, time.GetUtcNow() + options.SessionLifetime);
        return token;
    }

    public OperatorIdentity? Find(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100 || !sessions.TryGetValue(Key(token), out var session))
        {
            return null;
        }

        if (session.Expires <= time.GetUtcNow())
        {
            sessions.TryRemove(Key(token), out _);
            return null;
        }

        return session.Identity;
    }

    public void SignOut(string? token)
    {
        if (!string.IsNullOrEmpty(token))
        {
            sessions.TryRemove(Key(token), out _);
        }
    }

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    private static string Key(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record Session(OperatorIdentity Identity, DateTimeOffset Expires);

    private sealed record Failures(int Count, DateTimeOffset LockedUntil);
}
