using Microsoft.Extensions.Time.Testing;
using Routing.Engine.Operators;
using Routing.Engine.SignIn;

namespace Routing.Engine.Tests.Console;

/// <summary>Console passwords and sessions: PBKDF2 hashes that carry their salt and iterations, sessions
/// by random token, and a lockout after repeated failures that does not tell whether the user exists.</summary>
public sealed class SignInTests
{
    private const int FastIterations = PasswordHash.MinIterations;

    private static SignInOptions Options(int maxFailures = 3) => new()
    {
        MaxFailures = maxFailures,
        Lockout = TimeSpan.FromMinutes(1),
        SessionLifetime = TimeSpan.FromHours(1),
        Users = new(StringComparer.OrdinalIgnoreCase)
        {
            ["aigerim"] = new ConsoleUserOptions { Role = "calltaker", PasswordHash = PasswordHash.Create("s3cret", FastIterations) },
            ["boss"] = new ConsoleUserOptions { Role = "supervisor", PasswordHash = PasswordHash.Create("b0ss", FastIterations) },
        },
    };

    [Fact]
    public void A_hash_verifies_its_password_only_and_two_hashes_of_one_password_differ_by_salt()
    {
        var one = PasswordHash.Create("correct horse", FastIterations);
        var two = PasswordHash.Create("correct horse", FastIterations);

        Assert.StartsWith($"pbkdf2-sha256${FastIterations}$", one, StringComparison.Ordinal);
        Assert.NotEqual(one, two);
        Assert.True(PasswordHash.Verify("correct horse", one));
        Assert.True(PasswordHash.Verify("correct horse", two));
        Assert.False(PasswordHash.Verify("correct horsE", one));
        Assert.False(PasswordHash.Verify("", one));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("plaintext", "must look like")]
    [InlineData("md5$1$abc$def", "must look like")]
    [InlineData("pbkdf2-sha256$100$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==", "at least")]
    [InlineData("pbkdf2-sha256$100000$not base64!$aGFzaA==", "not base64")]
    public void A_malformed_stored_hash_is_named_and_never_matches(string stored, string problem)
    {
        Assert.Contains(problem, PasswordHash.Check(stored), StringComparison.Ordinal);
        Assert.False(PasswordHash.Verify("anything", stored));
    }

    [Fact]
    public void Configuration_errors_name_the_user_and_the_key()
    {
        var options = Options();
        options.Users["bad name!"] = new ConsoleUserOptions { Role = "calltaker", PasswordHash = PasswordHash.Create("x", FastIterations) };
        options.Users["dana"] = new ConsoleUserOptions { Role = "admin", PasswordHash = "secret" };

        var errors = options.Validate().ToList();

        Assert.Contains(errors, e => e.StartsWith("SignIn:Users:bad name!:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("SignIn:Users:dana:Role must be calltaker or supervisor", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("SignIn:Users:dana:PasswordHash:", StringComparison.Ordinal));
        Assert.Empty(Options().Validate());
    }

    [Fact]
    public void Signing_in_gives_a_session_with_the_configured_role_and_signing_out_ends_it()
    {
        var sessions = new ConsoleSessions(Options(), new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T08:00:00Z")));

        var (result, token, identity, _) = sessions.SignIn("BOSS", "b0ss");

        Assert.Equal(SignInResult.SignedIn, result);
        Assert.Equal(new OperatorIdentity("boss", OperatorRole.Supervisor), identity);
        Assert.Equal(identity, sessions.Find(token));
        Assert.Null(sessions.Find(token + "x"));
        sessions.SignOut(token);
        Assert.Null(sessions.Find(token));
    }

    [Fact]
    public void A_session_ends_after_its_lifetime()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T08:00:00Z"));
        var sessions = new ConsoleSessions(Options(), time);
        var token = sessions.SignIn("aigerim", "s3cret").Token;

        time.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(sessions.Find(token));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(sessions.Find(token));
    }

    [Fact]
    public void Repeated_wrong_passwords_lock_the_user_out_even_with_the_right_one_until_the_lockout_ends()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-06T08:00:00Z"));
        var sessions = new ConsoleSessions(Options(maxFailures: 3), time);

        Assert.Equal(SignInResult.Wrong, sessions.SignIn("aigerim", "guess1").Result);
        Assert.Equal(SignInResult.Wrong, sessions.SignIn("aigerim", "guess2").Result);
        Assert.Equal(SignInResult.LockedOut, sessions.SignIn("aigerim", "guess3").Result);
        var locked = sessions.SignIn("aigerim", "s3cret");
        Assert.Equal(SignInResult.LockedOut, locked.Result);
        Assert.Equal(TimeSpan.FromMinutes(1), locked.RetryAfter);
        Assert.Equal(SignInResult.SignedIn, sessions.SignIn("boss", "b0ss").Result);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(SignInResult.SignedIn, sessions.SignIn("aigerim", "s3cret").Result);
    }

    [Fact]
    public void An_unknown_user_is_answered_and_locked_out_like_a_known_one()
    {
        var sessions = new ConsoleSessions(Options(maxFailures: 2), new FakeTimeProvider());

        Assert.Equal(SignInResult.Wrong, sessions.SignIn("nobody", "x").Result);
        Assert.Equal(SignInResult.LockedOut, sessions.SignIn("nobody", "x").Result);
    }

    [Fact]
    public void An_in_process_client_gets_a_session_without_a_password_only_while_sign_in_is_on()
    {
        var robot = new OperatorIdentity("boris", OperatorRole.CallTaker);
        var on = new ConsoleSessions(Options(), new FakeTimeProvider());
        var off = new ConsoleSessions(new SignInOptions(), new FakeTimeProvider());

        Assert.Equal(robot, on.Find(on.SignInTrusted(robot)));
        Assert.Null(off.SignInTrusted(robot));
    }
}
