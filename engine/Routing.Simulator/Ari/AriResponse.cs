namespace Routing.Simulator.Ari;

/// <summary>What an ARI request answers: status and JSON body (null for 204).</summary>
internal sealed record AriResponse(int Status, string? Body, string? Location = null)
{
    public static AriResponse Ok(string json) => new(200, json);
    public static AriResponse Created(string json, string location) => new(201, json, location);
    public static readonly AriResponse NoContent = new(204, null);
    public static readonly AriResponse Accepted = new(202, null);
    public static AriResponse Error(int status, string message) => new(status, AriJson.Message(message));

    public static AriResponse ChannelNotFound => Error(404, "Channel not found");
    public static AriResponse NotInStasis => Error(409, "Channel not in Stasis application");
    public static AriResponse BridgeNotFound => Error(404, "Bridge not found");
    public static AriResponse ResourceNotFound => Error(404, "Resource not found");
    public static AriResponse InvalidMethod => Error(405, "Invalid method");
}
