using System.Buffers.Binary;
using Microsoft.Extensions.Logging;
using Routing.Ledger.Storage;
using Routing.Ledger.Writing;

namespace Routing.Ledger.Spool;

/// <summary>What an earlier run left in one spool file: its rows in order, and the bytes past the
/// last good entry (a torn tail, ignored).</summary>
internal sealed record SpooledFile(string Path, long Bytes, IReadOnlyList<LedgerRow> Rows, long IgnoredBytes);

/// <summary>Reads spool files an earlier run left, oldest first. Entries are taken up to the first
/// one that is torn or corrupt (checksum, length, JSON); the rest of that file is ignored with a
/// warning naming the file and offset: everything before it is replayed.</summary>
internal static class SpoolReader
{
    public const string Extension = ".r112spool";

    public const string LockFileName = "spool.lock";

    /// <summary>Takes the spool directory for this process: two engines sharing one would replay, and
    /// delete, each other's live files. Held until the returned stream is disposed.</summary>
    public static FileStream Lock(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException(
                $"{LedgerSpoolOptions.SectionName}:{nameof(LedgerSpoolOptions.Directory)} '{directory}' is in use by another engine ({path} is locked); give each engine its own spool directory.", ex);
        }
    }

    public static IReadOnlyList<SpooledFile> ReadLeftovers(string directory, ILedgerDialect dialect, ILogger logger)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var files = Directory.GetFiles(directory, "*" + Extension).Order(StringComparer.Ordinal).ToList();
        return files.Select(path => Read(path, dialect, logger)).ToList();
    }

    public static SpooledFile Read(string path, ILedgerDialect dialect, ILogger logger)
    {
        var bytes = File.ReadAllBytes(path);
        var rows = new List<LedgerRow>();
        if (bytes.Length < SpoolCodec.FileHeader.Length || !bytes.AsSpan(0, SpoolCodec.FileHeader.Length).SequenceEqual(SpoolCodec.FileHeader))
        {
            logger.SpoolTornTail(path, 0, bytes.Length, "the file header is missing or wrong");
            return new SpooledFile(path, bytes.Length, rows, bytes.Length);
        }

        var at = SpoolCodec.FileHeader.Length;
        while (at < bytes.Length)
        {
            var problem = TryEntry(bytes, at, dialect, out var row, out var next);
            if (problem is not null)
            {
                logger.SpoolTornTail(path, at, bytes.Length - at, problem);
                return new SpooledFile(path, bytes.Length, rows, bytes.Length - at);
            }

            rows.Add(row!);
            at = next;
        }

        return new SpooledFile(path, bytes.Length, rows, 0);
    }

    private static string? TryEntry(byte[] bytes, int at, ILedgerDialect dialect, out LedgerRow? row, out int next)
    {
        row = null;
        next = at;
        if (bytes.Length - at < SpoolCodec.EntryHeaderLength)
        {
            return "the entry header is cut short";
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
        var checksum = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4));
        if (length <= 0 || length > SpoolCodec.MaxPayloadLength || length > bytes.Length - at - SpoolCodec.EntryHeaderLength)
        {
            return $"the entry length {length} runs past the end of the file";
        }

        var payload = bytes.AsSpan(at + SpoolCodec.EntryHeaderLength, length);
        if (!SpoolCodec.ChecksumMatches(payload, checksum))
        {
            return "the entry checksum does not match";
        }

        try
        {
            row = SpoolCodec.Decode(payload, dialect);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "the entry is not a ledger row: " + ex.Message;
        }

        next = at + SpoolCodec.EntryHeaderLength + length;
        return null;
    }
}
