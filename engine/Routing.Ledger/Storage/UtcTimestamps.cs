using System.Globalization;

namespace Routing.Ledger.Storage;

/// <summary>
/// Instants are stored in UTC at microsecond precision on every provider (PostgreSQL's timestamptz
/// resolution), so a record reads back the same whichever database holds it. On SQLite they are
/// fixed-width ISO-8601 text, which sorts and compares correctly as text.
/// </summary>
internal static class UtcTimestamps
{
    public const string SqliteTextFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static DateTimeOffset ToMicroseconds(DateTimeOffset instant)
    {
        var utcTicks = instant.UtcTicks;
        return new DateTimeOffset(utcTicks - (utcTicks % 10), TimeSpan.Zero);
    }

    public static string ToSqliteText(DateTimeOffset instant) =>
        ToMicroseconds(instant).ToString(SqliteTextFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset FromProviderValue(object value) => value switch
    {
        DateTimeOffset offset => offset.ToUniversalTime(),
        DateTime { Kind: DateTimeKind.Local } local => new DateTimeOffset(local.ToUniversalTime(), TimeSpan.Zero),
        // timestamptz comes back from Npgsql as a UTC DateTime; an unspecified kind is stored UTC.
        DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeSpan.Zero),
        string text when DateTimeOffset.TryParseExact(text, SqliteTextFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) => parsed,
        string text => throw new FormatException($"Ledger timestamp '{text}' is not in the stored format {SqliteTextFormat}."),
        _ => throw new FormatException($"Ledger timestamp of type {value.GetType().Name} cannot be read as an instant."),
    };
}
