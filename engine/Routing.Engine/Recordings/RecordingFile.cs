using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Routing.Engine.Recordings;

/// <summary>What the ledger holds of one recording (the detail of a <c>recording.stored</c> event, as JSON).</summary>
/// <param name="Path">Relative to <see cref="RecordingsOptions.Directory"/>: <c>yyyy/MM/dd/&lt;channel&gt;.wav</c>.</param>
public sealed record RecordingFacts(string Path, long Bytes, string Sha256, DateTimeOffset StartedAt, DateTimeOffset EndedAt)
{
    public const string StoredKind = "recording.stored";
    public const string PurgedKind = "recording.purged";
    public const string MismatchKind = "recording.mismatch";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToDetail() => JsonSerializer.Serialize(this, Json);

    public static RecordingFacts? FromDetail(string detail)
    {
        try
        {
            return JsonSerializer.Deserialize<RecordingFacts>(detail, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The naming rule shared by the dialplan and the engine: the caller channel's id (Asterisk's
/// UNIQUEID, which the ledger holds as the call's caller channel) under the UTC day of arrival.</summary>
public static class RecordingFile
{
    public static string RelativePathFor(string callerChannelId, DateTimeOffset arrivedAt) =>
        Path.Combine(arrivedAt.UtcDateTime.ToString("yyyy", CultureInfo.InvariantCulture), arrivedAt.UtcDateTime.ToString("MM", CultureInfo.InvariantCulture),
            arrivedAt.UtcDateTime.ToString("dd", CultureInfo.InvariantCulture), callerChannelId + ".wav");

    /// <summary>The caller channel id a file belongs to, or null for a file that is not one of ours.</summary>
    public static string? ChannelIdOf(string path)
    {
        if (!path.EndsWith(".wav", StringComparison.OrdinalIgnoreCase)) return null;
        var name = Path.GetFileNameWithoutExtension(path);
        return name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_') ? name : null;
    }

    public static async Task<(long Bytes, string Sha256)> MeasureAsync(string fullPath, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024, useAsync: true);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return (stream.Length, Convert.ToHexStringLower(hash));
    }
}
