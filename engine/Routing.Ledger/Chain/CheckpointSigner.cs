using System.Security.Cryptography;

namespace Routing.Ledger.Chain;

/// <summary>HMAC-SHA256 over a checkpoint's canonical bytes (<see cref="CanonicalRow.CheckpointBytes"/>).
/// The key comes from configuration (<see cref="LedgerChainOptions.HmacKey"/>) and is never logged.</summary>
public sealed class CheckpointSigner(byte[] key, string keyId)
{
    public string KeyId { get; } = keyId;

    public static CheckpointSigner? From(LedgerChainOptions options) =>
        options.KeyBytes() is { } key ? new CheckpointSigner(key, options.KeyId) : null;

    public string Sign(string nodeId, long chainSeq, string rowHash, DateTimeOffset signedAt) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, CanonicalRow.CheckpointBytes(nodeId, chainSeq, rowHash, signedAt, KeyId)));

    public bool Verifies(string nodeId, long chainSeq, string rowHash, DateTimeOffset signedAt, string signature)
    {
        var expected = Convert.FromHexString(Sign(nodeId, chainSeq, rowHash, signedAt));
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
