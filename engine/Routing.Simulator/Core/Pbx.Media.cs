namespace Routing.Simulator.Core;

/// <summary>Video negotiation as far as the engine can see it: which video formats each channel carries. No SDP, no RTP.</summary>
internal sealed partial class Pbx
{
    /// <summary>The shipped <c>[video-endpoint]</c> template's <c>allow = h264,vp8</c>.</summary>
    private static readonly IReadOnlyList<string> VideoTemplateFormats = ["h264", "vp8"];

    /// <summary>An originated leg's video, as Asterisk 23.4.1 negotiated it (load-tests/asterisk video-vp8-only): without
    /// an originator, none (main/dial.c <c>begin_dial_prerun</c> asks the endpoint for audio only); with an originator
    /// that carries video, the offer is the originator's formats followed by the endpoint's own (<c>allow</c>: a VP8-only
    /// caller's leg was offered "100 99", VP8 and H.264), and the far end takes the first it can
    /// (<see cref="SimulatorOptions.VideoFormats"/>). No transcoding: the leg may end up with a codec the caller does not
    /// send. Called under the gate.</summary>
    private IReadOnlyList<string> NegotiatedVideo(string resource, string? originatorId)
    {
        if (string.IsNullOrEmpty(originatorId) || !_channels.TryGetValue(originatorId, out var originator) || originator.VideoFormats.Count == 0) return [];
        var takes = _options.VideoFormats.TryGetValue(resource, out var formats) ? formats : VideoTemplateFormats;
        var offered = originator.VideoFormats.Concat(VideoTemplateFormats).Distinct(StringComparer.OrdinalIgnoreCase);
        return offered.FirstOrDefault(f => takes.Contains(f, StringComparer.OrdinalIgnoreCase)) is { } taken ? [taken] : [];
    }

    /// <summary>main/format_cap.c <c>ast_format_cap_get_names</c>: "(h264|vp8)", or "(nothing)".</summary>
    private static string FormatNames(IReadOnlyList<string> formats) =>
        formats.Count == 0 ? "(nothing)" : "(" + string.Join('|', formats) + ")";
}
