namespace Routing.Asterisk.Ami;

/// <summary>One item of the AMI event stream: an event (<see cref="AmiMessage"/>) or a marker the connection adds.</summary>
public abstract record AmiStreamItem;

/// <summary>Logged in; <paramref name="Generation"/> counts connections since start. From 2 on, events of the gap are lost.</summary>
public sealed record AmiConnected(long Generation, string? Banner) : AmiStreamItem;

public sealed record AmiDisconnected(long Generation, string Reason) : AmiStreamItem;

/// <summary>A (re)connect attempt failed; <paramref name="LoginRefused"/> when Asterisk rejected the credentials.</summary>
public sealed record AmiConnectFailed(string Reason, bool LoginRefused, TimeSpan RetryIn) : AmiStreamItem;

/// <summary>A malformed message at byte <paramref name="Position"/> of the connection's stream was skipped.</summary>
public sealed record AmiFrameRejected(long Position, string Reason, string Excerpt) : AmiStreamItem;

/// <summary>The consumer fell behind and <paramref name="Count"/> items were dropped before this point: reconcile.</summary>
public sealed record AmiEventsLost(long Count) : AmiStreamItem;
