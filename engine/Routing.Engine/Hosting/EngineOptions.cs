namespace Routing.Engine.Hosting;

/// <summary>Which Asterisk the engine drives: its own in-process simulator (the default, so a
/// newcomer sees calls flow with no setup) or a real one at Asterisk:Ari:BaseUrl.</summary>
public enum AsteriskMode { Simulated, Real }

/// <summary>How ARI REST requests travel: HTTP with a bounded keep-alive pool, or as
/// RESTRequest messages on the event websocket (Asterisk 20.10+/21.5+/22+).</summary>
public enum AriRestTransport { Http, WebSocket }

public sealed class AsteriskOptions
{
    public const string Section = "Asterisk";

    public AsteriskMode Mode { get; set; } = AsteriskMode.Simulated;

    public AriRestTransport RestTransport { get; set; } = AriRestTransport.Http;

    /// <summary>Watch the PBX over AMI (Asterisk:Ami) to record calls the dialplan routed without us.</summary>
    public bool ObserveAmi { get; set; } = true;

    /// <summary>After every ARI connect, ask Asterisk not to send the event types the engine never reads
    /// (<c>AriEventFilter.Disallowed</c>: ~33 ChannelVarset per call among them). Off only to measure the flood.</summary>
    public bool FilterAriEvents { get; set; } = true;

    /// <summary>Adopt or sweep channels and bridges of our app that no live call owns this often.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Dead man's switch: while alive the engine keeps TIMEOUT(absolute) of every waiting caller at
    /// this many seconds (re-armed every half of it, over AMI) and clears it once the caller talks to an
    /// agency or a call-taker; the shipped dialplan arms it before Stasis() (DEADMAN_SECONDS, which must
    /// be equal: check-config) and its `T` extension sends a caller whose engine died to the fallback.
    /// 6 s: after a crash a waiting caller hears at most 6 s of silence (dialplans/README.md). Zero turns
    /// it off; then the dialplan must not arm the timeout either, or every caller still in the menu
    /// after DEADMAN_SECONDS would be sent to the fallback.
    /// </summary>
    public TimeSpan DeadMansSwitch { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// The host of the P-Asserted-Identity URI the engine's originates send (<c>"112 +7727…" &lt;sip:+7727…@host&gt;</c>):
    /// this centre's SIP domain or address as the agencies know it. Agency endpoints have <c>send_pai = no</c>, so the
    /// engine adds the header itself (<see cref="Calls.AssertedIdentity"/>); the dialplan fallback's pre-dial handler uses
    /// ASSERTED_IDENTITY_HOST, which must be equal (check-config).
    /// </summary>
    public string AssertedIdentityHost { get; set; } = "127.0.0.1";
}

/// <summary>The synthetic caller stream of <c>make run</c> (simulated mode only).</summary>
public sealed class SimulationOptions
{
    public const string Section = "Simulation";

    public double CallsPerSecond { get; set; } = 2.0;

    /// <summary>Stop placing calls after this long; zero means until Ctrl+C.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.Zero;

    /// <summary>Stop placing calls after this many; zero means no limit.</summary>
    public int MaxCalls { get; set; }

    /// <summary>Once Duration or MaxCalls ended the stream, how long `routing run` waits for the
    /// calls in flight to end before it stops (waiting callers then go to the dialplan fallback).
    /// The synthetic mix holds calls for up to about 90 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Seed of the caller mix, so a run can be repeated.</summary>
    public int Seed { get; set; } = 112;

    /// <summary>The first N call-taker positions the synthetic call-takers of <c>make run</c> leave free,
    /// so that people can sign in to the console and work calls beside them.</summary>
    public int FreePositions { get; set; }
}

public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Where /metrics, /health and /calls listen. Loopback by default: it is an operator port.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:9112";
}
