namespace Routing.Calls.Notifications;

/// <summary>The texts shipped when configuration gives none: short enough for one SMS segment in
/// Cyrillic (70 characters) where possible, and saying what the caller must know.</summary>
public static class NotificationTexts
{
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<NotificationStage, string>> Defaults { get; } =
        new Dictionary<string, IReadOnlyDictionary<NotificationStage, string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["ru"] = new Dictionary<NotificationStage, string>
            {
                [NotificationStage.Registered] = "112: ваше обращение зарегистрировано, № {ref}, {time}.",
                [NotificationStage.HandedToAgency] = "112: обращение № {ref} передано: {agency}, {time}.",
                [NotificationStage.Closed] = "112: обращение № {ref} закрыто, {time}.",
            },
            ["kk"] = new Dictionary<NotificationStage, string>
            {
                [NotificationStage.Registered] = "112: өтінішіңіз тіркелді, № {ref}, {time}.",
                [NotificationStage.HandedToAgency] = "112: № {ref} өтініш берілді: {agency}, {time}.",
                [NotificationStage.Closed] = "112: № {ref} өтініш жабылды, {time}.",
            },
            ["en"] = new Dictionary<NotificationStage, string>
            {
                [NotificationStage.Registered] = "112: your report is registered, no. {ref}, {time}.",
                [NotificationStage.HandedToAgency] = "112: report no. {ref} handed to {agency}, {time}.",
                [NotificationStage.Closed] = "112: report no. {ref} is closed, {time}.",
            },
        };
}
