using Routing.Checks.Asterisk;

namespace Routing.Checks.Checks;

/// <summary>rtp.conf: a port range that carries the load (each leg takes an RTP/RTCP pair, a call
/// two legs) and stays clear of Linux's ephemeral ports.</summary>
internal static class RtpCheck
{
    /// <summary>Below this, a box runs out of RTP ports (SIP 488) long before it runs out of CPU:
    /// 1,000 ports capped a box at about 125 new two-leg calls per second in our load test.</summary>
    public const int MinimumPorts = 4000;

    /// <summary>Start of Linux's default net.ipv4.ip_local_port_range.</summary>
    public const int EphemeralStart = 32768;

    public static void Run(string dialplansDir, Findings findings)
    {
        var path = ConfigFiles.Locate(dialplansDir, "rtp.conf");
        if (path is null)
        {
            findings.Warning(Path.Combine(dialplansDir, "rtp.conf"), 0, "no rtp.conf: Asterisk uses ports 5000-31000, shared with whatever else binds there");
            return;
        }
        var general = ConfFile.Load(path, findings).Named("general").LastOrDefault();
        var start = general?.Last("rtpstart");
        var end = general?.Last("rtpend");
        if (start is null || end is null || !int.TryParse(start.Value, out var first) || !int.TryParse(end.Value, out var last))
        {
            findings.Error(path, general?.Line ?? 0, "rtp.conf must set numeric rtpstart and rtpend in [general]");
            return;
        }
        if (first >= last)
        {
            findings.Error(path, end.Line, $"rtpend {last} is not above rtpstart {first}");
            return;
        }
        var ports = last - first + 1;
        if (ports < MinimumPorts)
        {
            findings.Error(path, end.Line,
                $"RTP range {first}-{last} has {ports} ports = {ports / 4} concurrent two-leg calls; at least {MinimumPorts} are needed before Asterisk answers 488 for lack of ports");
        }
        if (last >= EphemeralStart)
        {
            findings.Warning(path, end.Line, $"rtpend {last} reaches Linux's ephemeral ports ({EphemeralStart}+): outgoing sockets can take RTP ports");
        }
    }
}
