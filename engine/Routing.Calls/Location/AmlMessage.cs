using System.Globalization;
using System.Text;
using Routing.Calls.Routing;

namespace Routing.Calls.Location;

/// <summary>
/// An Advanced Mobile Location message (ETSI TS 103 625): the handset's own fix, sent when it dials an
/// emergency number. Two forms reach us: the SMS text (<c>A"ML=1;lt=…;lg=…;rd=…;top=…</c>, handed in by
/// the SMS gateway with the sender's number) and the HTTPS form POST (form-urlencoded
/// <c>location_latitude=…&amp;device_number=…</c>).
/// </summary>
/// <param name="CallerNumber">The handset's number (SMS sender, or <c>device_number</c>), cleaned.</param>
/// <param name="Location">The fix, or null when the handset had none (<c>pm=N</c>).</param>
/// <param name="Imei">Device identity when given (for the record only).</param>
public sealed record AmlMessage(string CallerNumber, CallLocation? Location, string? Imei)
{
    /// <summary>An SMS is at most a few segments; an HTTPS AML body a few hundred bytes.</summary>
    public const int MaxLength = 4096;

    /// <summary>Reads the SMS form. <paramref name="senderNumber"/> is the SMS originator the gateway saw.</summary>
    public static AmlReading ParseSms(string? text, string? senderNumber, DateTimeOffset receivedAt)
    {
        if (string.IsNullOrWhiteSpace(text)) return AmlReading.Rejected("AML SMS: the text is empty");
        if (text.Length > MaxLength) return AmlReading.Rejected($"AML SMS: {text.Length} characters is more than an AML message can be");
        var number = CallerText.NormaliseNumber(senderNumber);
        if (number.Length == 0) return AmlReading.Rejected("AML SMS: the sender's number is missing or not a number");

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Trim().Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) return AmlReading.Rejected($"AML SMS: '{CallerText.CleanText(part, 40)}' is not key=value");
            fields[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }

        if (!fields.TryGetValue("A\"ML", out var version))
            return AmlReading.Rejected("AML SMS: it does not start with A\"ML=<version>");
        if (version is not ("1" or "2" or "3"))
            return AmlReading.Rejected($"AML SMS: version '{CallerText.CleanText(version, 10)}' is not one this reader knows (1, 2, 3)");

        var method = fields.GetValueOrDefault("pm", "");
        var raw = CallLocation.Cap(text);
        var imei = Digits(fields.GetValueOrDefault("ei"));
        if (method.Equals("N", StringComparison.OrdinalIgnoreCase))
            return AmlReading.Read(new AmlMessage(number, null, imei)); // the handset had no fix: on record, no location

        if (!Number(fields, "lt", out var lat, out var error) || !Number(fields, "lg", out var lon, out error))
            return AmlReading.Rejected("AML SMS: " + error);
        if (!GeoPoint.TryCreate(lat, lon, out var point, out error)) return AmlReading.Rejected("AML SMS: " + error);

        double? radius = null;
        if (fields.ContainsKey("rd"))
        {
            if (!Number(fields, "rd", out var rd, out error) || rd < 0) return AmlReading.Rejected("AML SMS: " + (error ?? "rd is negative"));
            radius = rd;
        }

        DateTimeOffset? measuredAt = null;
        if (fields.TryGetValue("top", out var top))
        {
            if (!DateTimeOffset.TryParseExact(top, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                return AmlReading.Rejected($"AML SMS: top '{CallerText.CleanText(top, 20)}' is not yyyyMMddHHmmss");
            measuredAt = at;
        }

        var location = new CallLocation(LocationSource.Aml, receivedAt, measuredAt, point, radius, null, MethodName(method), raw);
        return AmlReading.Read(new AmlMessage(number, location, imei));
    }

    /// <summary>Reads the HTTPS form POST body (application/x-www-form-urlencoded).</summary>
    public static AmlReading ParseHttpsForm(string? body, DateTimeOffset receivedAt)
    {
        if (string.IsNullOrWhiteSpace(body)) return AmlReading.Rejected("AML HTTPS: the body is empty");
        if (body.Length > MaxLength) return AmlReading.Rejected($"AML HTTPS: {body.Length} characters is more than an AML message can be");

        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in body.Trim().Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) return AmlReading.Rejected($"AML HTTPS: '{CallerText.CleanText(pair, 40)}' is not key=value");
            if (!WellEscaped(pair)) return AmlReading.Rejected($"AML HTTPS: '{CallerText.CleanText(pair, 40)}' is not URL-encoded");
            fields[Uri.UnescapeDataString(pair[..eq].Replace('+', ' '))] = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
        }

        var number = CallerText.NormaliseNumber(fields.GetValueOrDefault("device_number"));
        if (number.Length == 0) return AmlReading.Rejected("AML HTTPS: device_number is missing or not a number");
        var imei = Digits(fields.GetValueOrDefault("device_imei"));
        if (!fields.ContainsKey("location_latitude") && !fields.ContainsKey("location_longitude"))
            return AmlReading.Read(new AmlMessage(number, null, imei));

        if (!Number(fields, "location_latitude", out var lat, out var error) || !Number(fields, "location_longitude", out var lon, out error))
            return AmlReading.Rejected("AML HTTPS: " + error);
        if (!GeoPoint.TryCreate(lat, lon, out var point, out error)) return AmlReading.Rejected("AML HTTPS: " + error);

        double? accuracy = null;
        if (fields.ContainsKey("location_accuracy"))
        {
            if (!Number(fields, "location_accuracy", out var a, out error) || a < 0) return AmlReading.Rejected("AML HTTPS: " + (error ?? "location_accuracy is negative"));
            accuracy = a;
        }

        DateTimeOffset? measuredAt = null;
        if (fields.TryGetValue("location_time", out var time))
        {
            // Milliseconds since the epoch in the HTTPS form.
            if (!long.TryParse(time, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > 253402300799999)
                return AmlReading.Rejected($"AML HTTPS: location_time '{CallerText.CleanText(time, 20)}' is not milliseconds since 1970");
            measuredAt = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        var method = CallerText.CleanText(fields.GetValueOrDefault("location_source"), 20);
        var location = new CallLocation(LocationSource.Aml, receivedAt, measuredAt, point, accuracy, null, method.Length == 0 ? "unknown" : method, CallLocation.Cap(body));
        return AmlReading.Read(new AmlMessage(number, location, imei));
    }

    private static bool Number(Dictionary<string, string> fields, string key, out double value, out string? error)
    {
        value = 0;
        if (!fields.TryGetValue(key, out var text) || text.Length == 0)
        {
            error = $"{key} is missing";
            return false;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            error = $"{key} '{CallerText.CleanText(text, 30)}' is not a number";
            return false;
        }

        error = null;
        return true;
    }

    // Uri.UnescapeDataString leaves a broken escape as it is; a form body with one is not what a handset sends.
    private static bool WellEscaped(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%') continue;
            if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2])) return false;
        }

        return true;
    }

    private static string MethodName(string pm) => pm.ToUpperInvariant() switch
    {
        "G" => "GNSS",
        "W" => "Wifi",
        "C" => "Cell",
        _ => CallerText.CleanText(pm, 10),
    };

    private static string? Digits(string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return null;
        var kept = new StringBuilder();
        foreach (var c in raw)
        {
            if (kept.Length >= 20) break;
            if (c is >= '0' and <= '9') kept.Append(c);
        }

        return kept.Length == 0 ? null : kept.ToString();
    }
}

/// <summary>An AML message, or why it was refused.</summary>
public sealed record AmlReading
{
    private AmlReading(AmlMessage? message, string? error)
    {
        Message = message;
        Error = error;
    }

    public AmlMessage? Message { get; }

    public string? Error { get; }

    public bool Ok => Message is not null;

    public static AmlReading Read(AmlMessage message) => new(message, null);

    public static AmlReading Rejected(string error) => new(null, error);
}
