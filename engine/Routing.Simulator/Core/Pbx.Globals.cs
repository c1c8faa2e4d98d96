using Routing.Simulator.Ari;

namespace Routing.Simulator.Core;

/// <summary>
/// Global dialplan variables over ARI (res/ari/resource_asterisk.c): <c>POST /asterisk/variable</c> sets one (204; a
/// missing name is 400 "Variable name is required"), <c>GET</c> reads it (an unset one reads as the empty value, as
/// pbx_builtin_getvar_helper gives it); AMI Setvar without a channel sets the same ones. The engine's text heartbeat and
/// overload flag live here; tests read them.
/// </summary>
internal sealed partial class Pbx
{
    private readonly Dictionary<string, string> _globals = new(StringComparer.Ordinal);

    public AriResponse SetGlobal(string? name, string? value)
    {
        if (string.IsNullOrEmpty(name)) return AriResponse.Error(400, "Variable name is required");
        lock (_gate) _globals[name] = value ?? "";
        return AriResponse.NoContent;
    }

    public AriResponse GetGlobal(string? name)
    {
        if (string.IsNullOrEmpty(name)) return AriResponse.Error(400, "Variable name is required");
        string value;
        lock (_gate) value = _globals.GetValueOrDefault(name, "");
        return AriResponse.Ok(AriJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("value", value);
            w.WriteEndObject();
        }));
    }

    /// <summary>Every global variable set over ARI or AMI (the engine's text heartbeat and overload flag).</summary>
    public IReadOnlyDictionary<string, string> Globals
    {
        get
        {
            lock (_gate) return new Dictionary<string, string>(_globals, StringComparer.Ordinal);
        }
    }

    /// <summary>A global variable as the dialplan would read it; null when never set.</summary>
    public string? Global(string name)
    {
        lock (_gate) return _globals.TryGetValue(name, out var value) ? value : null;
    }
}
