namespace Routing.Calls.Notifications;

/// <summary>The moments a caller is told about their call, as the centre promises callers.</summary>
public enum NotificationStage
{
    /// <summary>The call (or text) is on record: the caller gets its registration number.</summary>
    Registered,

    /// <summary>An agency took it over: which one, and when.</summary>
    HandedToAgency,

    /// <summary>The call is closed.</summary>
    Closed,
}
