using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Routing.Engine.SignIn;

/// <summary>
/// Stored console passwords: <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt base64&gt;$&lt;hash base64&gt;</c>.
/// Salt and iterations travel in the value, so a hash made with more iterations later still verifies
/// next to older ones. Made by <c>routing hash-password</c>.
/// </summary>
public static class PasswordHash
{
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>OWASP's figure for PBKDF2-HMAC-SHA256 (2023).</summary>
    public const int DefaultIterations = 600_000;

    public const int MinIterations = 10_000;

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Create(string password, int iterations = DefaultIterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, iterations, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Null when <paramref name="stored"/> is a well-formed hash, else what is wrong with it.</summary>
    public static string? Check(string? stored) => Parse(stored, out _, out _, out _);

    /// <summary>Whether <paramref name="password"/> matches; a malformed stored value never matches.</summary>
    public static bool Verify(string password, string stored)
    {
        if (string.IsNullOrEmpty(password) || Parse(stored, out var iterations, out var salt, out var expected) is not null)
        {
            return false;
        }

        var actual = Derive(password, salt, iterations, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static byte[] Derive(string password, byte[] salt, int iterations, int length) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, length);

    private static string? Parse(string? stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = [];
        hash = [];
        if (string.IsNullOrWhiteSpace(stored))
        {
            return "password hash is empty (make one with: routing hash-password)";
        }

        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme)
        {
            return $"password hash must look like {Scheme}$<iterations>$<salt>$<hash> (make one with: routing hash-password)";
        }

        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < MinIterations)
        {
            return $"password hash iterations must be a number of at least {MinIterations}";
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return "password hash salt or hash is not base64";
        }

        return salt.Length < 8 || hash.Length < 16 ? "password hash salt or hash is too short" : null;
    }
}
