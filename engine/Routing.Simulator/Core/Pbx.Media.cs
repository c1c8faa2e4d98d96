namespace Routing.Simulator.Core;

/// <summary>Video negotiation as far as the engine can see it: which video formats each channel carries. No SDP, no RTP.</summary>
internal sealed partial class Pbx
{
    private static readonly IReadOnlyList<string> VideoTemplateFormats = ["h264", "vp8"];

    /// <summary>An originated leg's video: with an originator, the originator's formats the endpoint allows (Asterisk
    /// offers the originator's formats and does not transcode video); without one, none — main/dial.c
    /// <c>begin_dial_prerun</c> asks the endpoint for audio only. Called under the gate.</summary>
    private IReadOnlyList<string> NegotiatedVideo(string resource, string? originatorId)
    {
        if (string.IsNullOrEmpty(originatorId) || !_channels.TryGetValue(originatorId, out var originator)) return [];
        var allowed = _options.VideoFormats.TryGetValue(resource, out var formats) ? formats : VideoTemplateFormats;
        return originator.VideoFormats.Where(f => allowed.Contains(f, StringComparer.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>main/format_cap.c <c>ast_format_cap_get_names</c>: "(h264|vp8)", or "(nothing)".</summary>
    private static string FormatNames(IReadOnlyList<string> formats) =>
        formats.Count == 0 ? "(nothing)" : "(" + string.Join('|', formats) + ")";
}
