using System.Globalization;
using Routing.Simulator;

namespace Routing.Engine.Hosting;

/// <summary>Where an Asterisk's ARI and AMI are and how to log in: the one place that turns it into
/// the engine's configuration keys, for `routing run`, the integration tests and the benchmark.</summary>
public sealed record AsteriskAddress(Uri AriBaseUrl, string AriUser, string AriPassword, string AmiHost, int AmiPort, string AmiUser, string AmiPassword)
{
    public static AsteriskAddress Of(SimulatedAsterisk asterisk, SimulatorOptions options) => new(
        asterisk.AriBaseUrl, options.AriUser, options.AriPassword,
        asterisk.AmiEndPoint.Address.ToString(), asterisk.AmiEndPoint.Port, options.AmiUser, options.AmiPassword);

    public void WriteTo(IDictionary<string, string?> settings)
    {
        settings["Asterisk:Ari:BaseUrl"] = AriBaseUrl.ToString();
        settings["Asterisk:Ari:User"] = AriUser;
        settings["Asterisk:Ari:Password"] = AriPassword;
        settings["Asterisk:Ami:Host"] = AmiHost;
        settings["Asterisk:Ami:Port"] = AmiPort.ToString(CultureInfo.InvariantCulture);
        settings["Asterisk:Ami:User"] = AmiUser;
        settings["Asterisk:Ami:Password"] = AmiPassword;
    }

    public override string ToString() => $"ARI {AriBaseUrl} as {AriUser}, AMI {AmiHost}:{AmiPort} as {AmiUser}";
}
