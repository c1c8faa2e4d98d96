namespace Routing.Engine.Text;

/// <summary>The few texts the engine itself writes to a text caller, in kk/ru/en (Russian when the language is unknown:
/// the most widely read in Kazakhstan).</summary>
internal static class TextNotices
{
    public static string HandedOver(string? language, string agency) => language switch
    {
        "kk" => $"112: хабарламаңыз {agency} қызметіне берілді. Осы чатта жаза беріңіз.",
        "en" => $"112: your report was handed to {agency}. Keep writing in this chat.",
        _ => $"112: ваше сообщение передано в службу {agency}. Продолжайте писать в этот чат.",
    };
}
