using System.Buffers;
using System.Text;

namespace Routing.Asterisk.Ami;

/// <summary>What <see cref="AmiFrameParser.TryParse"/> found.</summary>
public enum AmiFrameKind
{
    /// <summary>The "Asterisk Call Manager/x.y.z" line sent once on connect.</summary>
    Banner,
    Message,
    /// <summary>A message that breaks the framing rules; it was skipped up to its blank line.</summary>
    Malformed,
}

/// <summary>One parsed unit. <see cref="Position"/> is the byte offset in the stream where it started.</summary>
public readonly record struct AmiFrame(AmiFrameKind Kind, long Position, AmiMessage? Message = null, string? Banner = null,
    string? Error = null, string? Excerpt = null);

/// <summary>
/// AMI framing as explicit rules, with no I/O (asterisk-java ManagerReaderImpl, made pure):
/// the banner line "Asterisk Call Manager/12.0.0"; "Key: value" lines split at the first ':' (one following
/// space dropped); keys case-insensitive and repeatable; a blank line ends a message; "Response: Follows"
/// takes a free-text body up to "--END COMMAND--"; CRLF or bare LF. A line that is not "Key: value" makes
/// the message malformed: it is reported with its position and skipped, and parsing goes on after it.
/// Feed it the unconsumed bytes; it advances <c>buffer</c> past what it consumed and keeps state across calls.
/// </summary>
public sealed class AmiFrameParser
{
    private const string BannerPrefix = "Asterisk Call Manager/";
    private const string EndCommand = "--END COMMAND--";
    private const int ExcerptChars = 120;

    // Keys and short values recur in every event (Event, Channel, Uniqueid of the same channel in ~70
    // events of a call): each is made a string once and reused. Bounded: cleared when full.
    private const int PooledMaxChars = 64;
    private const int PoolCapacity = 4096;
    private readonly Dictionary<string, string> _pool = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _poolLookup;
    private char[] _chars = new char[256];

    private readonly List<KeyValuePair<string, string>> _fields = new(32);
    private readonly int _maxMessageBytes;
    private bool _bannerChecked;
    private bool _discardingOversized;
    private long _position;

    public AmiFrameParser(int maxMessageBytes = 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 64);
        _maxMessageBytes = maxMessageBytes;
        _poolLookup = _pool.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Bytes consumed since the start of the stream.</summary>
    public long Position => _position;

    /// <summary>Messages (good or malformed) completed so far.</summary>
    public long MessageCount { get; private set; }

    public bool TryParse(ref ReadOnlySequence<byte> buffer, out AmiFrame frame)
    {
        while (true)
        {
            var reader = new SequenceReader<byte>(buffer);
            if (_discardingOversized)
            {
                if (!SkipToBlankLine(ref reader))
                {
                    Consume(ref buffer, buffer.End, buffer.Length);
                    frame = default;
                    return false;
                }
                _discardingOversized = false;
                Consume(ref buffer, reader.Position, reader.Consumed);
                continue;
            }

            if (!_bannerChecked)
            {
                if (!reader.TryReadTo(out ReadOnlySequence<byte> first, (byte)'\n'))
                {
                    frame = default;
                    return false;
                }
                _bannerChecked = true;
                var line = Decode(first);
                if (line.StartsWith(BannerPrefix, StringComparison.Ordinal))
                {
                    frame = new AmiFrame(AmiFrameKind.Banner, _position, Banner: line);
                    Consume(ref buffer, reader.Position, reader.Consumed);
                    return true;
                }
                reader = new SequenceReader<byte>(buffer); // no banner (a proxy?): parse the line as a message
            }

            var result = ReadMessage(ref reader, out frame);
            if (result == ReadResult.Incomplete)
            {
                if (buffer.Length > _maxMessageBytes)
                {
                    frame = new AmiFrame(AmiFrameKind.Malformed, _position,
                        Error: $"message #{MessageCount + 1} exceeds {_maxMessageBytes} bytes without a blank line",
                        Excerpt: Excerpt(Decode(buffer.Slice(0, Math.Min(buffer.Length, ExcerptChars)))));
                    MessageCount++;
                    _discardingOversized = true;
                    Consume(ref buffer, buffer.End, buffer.Length);
                    return true;
                }
                return false;
            }
            Consume(ref buffer, reader.Position, reader.Consumed);
            if (result == ReadResult.BlankLinesOnly) continue;
            MessageCount++;
            return true;
        }
    }

    private enum ReadResult { Incomplete, BlankLinesOnly, Frame }

    private ReadResult ReadMessage(ref SequenceReader<byte> reader, out AmiFrame frame)
    {
        frame = default;
        // One list reused for every message (a message read half is read again from its start); the
        // message keeps an exact-size copy. A fresh list grew 4 -> 8 -> 16 -> 32 for a typical event.
        var fields = _fields;
        fields.Clear();
        List<string>? body = null;
        var follows = false;      // "Response: Follows" seen
        var inBody = false;       // reading the free-text body
        var bodyEnded = false;    // "--END COMMAND--" seen
        string? error = null;
        string? errorLine = null;
        long errorAt = 0;
        long start = -1;

        while (true)
        {
            var lineStart = reader.Consumed;
            if (!reader.TryReadTo(out ReadOnlySequence<byte> raw, (byte)'\n')) return ReadResult.Incomplete;
            var line = DecodeLine(raw);

            if (inBody)
            {
                var end = line.IndexOf(EndCommand, StringComparison.Ordinal);
                if (end < 0)
                {
                    body!.Add(line.ToString());
                    continue;
                }
                // Old Asterisk may glue the marker to the last output line: "...output--END COMMAND--".
                if (end > 0) body!.Add(line[..end].ToString());
                inBody = false;
                bodyEnded = true;
                continue;
            }

            if (line.Length == 0)
            {
                if (start < 0)
                {
                    // Blank lines between messages: consumed with the next message, or alone when nothing follows yet.
                    if (reader.Remaining == 0) return ReadResult.BlankLinesOnly;
                    continue;
                }
                var position = _position + start;
                frame = error is null
                    ? new AmiFrame(AmiFrameKind.Message, position, new AmiMessage(fields.ToArray(), body, position))
                    : new AmiFrame(AmiFrameKind.Malformed, _position + errorAt, Error: error, Excerpt: Excerpt(errorLine!));
                return ReadResult.Frame;
            }

            if (start < 0) start = lineStart;
            if (error is not null || bodyEnded) continue; // skipping the rest of a bad message / trailer after the body

            var colon = line.IndexOf(':');
            if (follows && (colon <= 0 || !IsFollowsHeader(line[..colon])))
            {
                body = [];
                var end = line.IndexOf(EndCommand, StringComparison.Ordinal);
                if (end < 0)
                {
                    body.Add(line.ToString());
                    inBody = true;
                }
                else
                {
                    if (end > 0) body.Add(line[..end].ToString());
                    bodyEnded = true;
                }
                continue;
            }
            if (colon <= 0)
            {
                error = $"message #{MessageCount + 1}, line {fields.Count + 1}: not a 'Key: value' line";
                errorLine = line.ToString();
                errorAt = lineStart;
                continue;
            }
            var key = Pooled(line[..colon]);
            var value = Pooled(colon + 1 < line.Length && line[colon + 1] == ' ' ? line[(colon + 2)..] : line[(colon + 1)..]);
            fields.Add(new KeyValuePair<string, string>(key, value));
            if (fields.Count == 1 && key.Equals("Response", StringComparison.OrdinalIgnoreCase)
                && value.Equals("Follows", StringComparison.OrdinalIgnoreCase))
                follows = true;
        }
    }

    // Header lines allowed between "Response: Follows" and the CLI body.
    private static bool IsFollowsHeader(ReadOnlySpan<char> key) =>
        key.Equals("Privilege", StringComparison.OrdinalIgnoreCase) || key.Equals("ActionID", StringComparison.OrdinalIgnoreCase)
        || key.Equals("Message", StringComparison.OrdinalIgnoreCase);

    private static bool SkipToBlankLine(ref SequenceReader<byte> reader)
    {
        while (reader.TryReadTo(out ReadOnlySequence<byte> raw, (byte)'\n'))
        {
            if (raw.Length == 0 || (raw.Length == 1 && raw.FirstSpan[0] == (byte)'\r')) return true;
        }
        return false;
    }

    private void Consume(ref ReadOnlySequence<byte> buffer, SequencePosition to, long count)
    {
        buffer = buffer.Slice(to);
        _position += count;
    }

    /// <summary>The line without its CR, decoded into a reused buffer: valid until the next call.</summary>
    private ReadOnlySpan<char> DecodeLine(ReadOnlySequence<byte> raw)
    {
        var max = Encoding.UTF8.GetMaxCharCount(checked((int)raw.Length));
        if (_chars.Length < max) _chars = new char[Math.Max(max, _chars.Length * 2)];
        var count = Encoding.UTF8.GetChars(raw, _chars);
        var line = _chars.AsSpan(0, count);
        return line.EndsWith('\r') ? line[..^1] : line;
    }

    private string Pooled(ReadOnlySpan<char> text)
    {
        if (text.Length == 0) return "";
        if (text.Length > PooledMaxChars) return text.ToString();
        if (_poolLookup.TryGetValue(text, out var pooled)) return pooled;
        if (_pool.Count >= PoolCapacity) _pool.Clear();
        pooled = text.ToString();
        _pool[pooled] = pooled;
        return pooled;
    }

    private static string Decode(ReadOnlySequence<byte> raw)
    {
        var text = raw.IsSingleSegment ? Encoding.UTF8.GetString(raw.FirstSpan) : Encoding.UTF8.GetString(raw.ToArray());
        return text.EndsWith('\r') ? text[..^1] : text;
    }

    private static string Excerpt(string line)
    {
        var builder = new StringBuilder(Math.Min(line.Length, ExcerptChars) + 1);
        foreach (var c in line.AsSpan(0, Math.Min(line.Length, ExcerptChars))) builder.Append(char.IsControl(c) ? '·' : c);
        if (line.Length > ExcerptChars) builder.Append('…');
        return builder.ToString();
    }
}
