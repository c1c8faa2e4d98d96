namespace Routing.Calls.Notifications;

/// <summary>Messages to the caller about their call, bound from <c>Notifications</c>. Validated at start by
/// <see cref="CallerNotificationOptionsValidator"/>, whose errors name the key.</summary>
public sealed class CallerNotificationOptions
{
    public const string Section = "Notifications";

    public bool Enabled { get; set; } = true;

    /// <summary><c>SipMessage</c>: SIP MESSAGE through Asterisk to the SMS gateway trunk (ARI sendMessage);
    /// <c>Http</c>: POST to an HTTP SMS gateway.</summary>
    public string Sender { get; set; } = "SipMessage";

    /// <summary>Numbers that can take an SMS start with one of these (mobile ranges); anything else —
    /// landlines, SOS buttons, short numbers, withheld — gets nothing.</summary>
    public List<string> SmsCapablePrefixes { get; set; } = [];

    /// <summary>Silent and prank calls get no message unless this is set (a message can give away a caller
    /// who could not speak).</summary>
    public bool NotifySilentOrPrank { get; set; }

    /// <summary>Which stages are sent.</summary>
    public List<NotificationStage> Stages { get; set; } = [NotificationStage.Registered, NotificationStage.HandedToAgency, NotificationStage.Closed];

    /// <summary>Language → stage → text. Placeholders: <c>{ref}</c> (registration number), <c>{agency}</c>,
    /// <c>{time}</c> (HH:mm, centre time). Missing languages fall back to <see cref="DefaultLanguage"/>.</summary>
    public Dictionary<string, Dictionary<NotificationStage, string>> Templates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public string DefaultLanguage { get; set; } = "ru";

    /// <summary>The centre's UTC offset for <c>{time}</c> (Kazakhstan: +05:00).</summary>
    public TimeSpan CentreUtcOffset { get; set; } = TimeSpan.FromHours(5);

    public int MaxAttempts { get; set; } = 5;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Messages waiting to be sent; past this a message is recorded as dropped, never a call delayed.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>For <c>SipMessage</c>: ARI sendMessage destination; <c>{number}</c> is the caller's number.</summary>
    public string SipMessageTo { get; set; } = "pjsip:sms-gateway/sip:{number}@sms-gateway";

    /// <summary>For <c>SipMessage</c>: the sender shown to the caller.</summary>
    public string SipMessageFrom { get; set; } = "\"112\" <sip:112@localhost>";

    /// <summary>For <c>Http</c>: the gateway's URL (https in production).</summary>
    public string HttpGatewayUrl { get; set; } = "";

    /// <summary>For <c>Http</c>: bearer token; never logged.</summary>
    public string HttpGatewayToken { get; set; } = "";

    public override string ToString() =>
        $"Enabled={Enabled}, Sender={Sender}, Gateway={HttpGatewayUrl}, Token={(HttpGatewayToken.Length == 0 ? "(none)" : "***")}";
}
