namespace Routing.Simulator.Model;

/// <summary>Q.850 causes used by the simulator, with Asterisk's texts, and ARI's hangup reason names.</summary>
internal static class HangupCauses
{
    public const int Unallocated = 1;
    public const int NormalClearing = 16;
    public const int UserBusy = 17;
    public const int NoAnswer = 19;
    public const int Congestion = 34;
    public const int AppHangupRequest = 32; // what ChannelHangupRequest shows after DELETE /channels/{id} (trace)

    public static string Text(int cause) => cause switch
    {
        1 => "Unallocated (unassigned) number",
        16 => "Normal Clearing",
        17 => "User busy",
        18 => "No user responding",
        19 => "User alerting, no answer",
        21 => "Call Rejected",
        26 => "Answered elsewhere",
        28 => "Invalid number format (addr incomplete)",
        31 => "Normal, unspecified",
        34 => "Circuit/channel congestion",
        38 => "Network out of order",
        41 => "Temporary failure",
        58 => "Bearer capability not available",
        102 => "Recovery on timer expiry",
        127 => "Interworking, unspecified",
        _ => "Unknown",
    };

    /// <summary>ARI DELETE /channels/{id}?reason= values (res/ari/resource_channels.c) → cause; null when invalid.</summary>
    public static int? FromAriReason(string reason) => reason switch
    {
        "normal" => 16,
        "busy" => 17,
        "congestion" => 34,
        "no_answer" => 19,
        "timeout" => 18,
        "rejected" => 21,
        "unallocated" => 1,
        "normal_unspecified" => 31,
        "number_incomplete" => 28,
        "codec_mismatch" => 58,
        "interworking" => 127,
        "failure" => 38,
        "answered_elsewhere" => 26,
        _ => null,
    };
}
