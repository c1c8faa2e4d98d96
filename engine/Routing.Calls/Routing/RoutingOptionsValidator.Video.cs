namespace Routing.Calls.Routing;

public static partial class RoutingOptionsValidator
{
    private static void ValidateVideo(RoutingOptions o, List<string> errors)
    {
        if (o.Video is null)
        {
            errors.Add($"{Root}:Video is null");
            return;
        }

        var known = Enum.GetNames<CallEntry>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < o.Video.Entries.Count; i++)
        {
            var entry = o.Video.Entries[i];
            if (!known.Contains(entry, StringComparer.OrdinalIgnoreCase))
                errors.Add($"{Root}:Video:Entries:{i} '{entry}' is not a call entry ({string.Join(", ", known)})");
            else if (!seen.Add(entry))
                errors.Add($"{Root}:Video:Entries:{i} '{entry}' is listed twice");
        }

        if (!Enum.IsDefined(o.Video.Mode))
            errors.Add($"{Root}:Video:Mode must be SingleSource or Sfu, not '{o.Video.Mode}'");
    }
}
