namespace Routing.Ledger.Chain;

/// <summary>Configuration section <c>Ledger:Chain</c>: signed checkpoints over the hash chain, so that
/// rewriting the whole tail of the ledger (and recomputing every hash) is detected too.</summary>
public sealed class LedgerChainOptions
{
    public const string SectionName = LedgerOptions.SectionName + ":Chain";

    /// <summary>A signed checkpoint every this many rows of a node's chain, in the same transaction as
    /// the row that reaches the multiple; <c>routing audit verify</c> demands each one.</summary>
    public int CheckpointEvery { get; set; } = 1000;

    /// <summary>HMAC-SHA256 key, base64, at least 32 bytes. Secret: never logged, masked in ToString.
    /// Empty: no checkpoints are written (a warning at start and in every verify).</summary>
    public string HmacKey { get; set; } = "";

    /// <summary>Stored in each checkpoint so a verifier knows which key signed it (rotation).</summary>
    public string KeyId { get; set; } = "k1";

    public byte[]? KeyBytes() => string.IsNullOrEmpty(HmacKey) ? null : Convert.FromBase64String(HmacKey);

    public void Validate(List<string> errors)
    {
        if (CheckpointEvery < 1)
        {
            errors.Add($"{SectionName}:{nameof(CheckpointEvery)} {CheckpointEvery} must be at least 1.");
        }

        if (string.IsNullOrWhiteSpace(KeyId) || KeyId.Length > StorableText.MaxKeyLength)
        {
            errors.Add($"{SectionName}:{nameof(KeyId)} must be 1 to {StorableText.MaxKeyLength} characters.");
        }

        if (string.IsNullOrEmpty(HmacKey))
        {
            return;
        }

        // The message never quotes the key.
        byte[] key;
        try
        {
            key = Convert.FromBase64String(HmacKey);
        }
        catch (FormatException)
        {
            errors.Add($"{SectionName}:{nameof(HmacKey)} is not base64.");
            return;
        }

        if (key.Length < 32)
        {
            errors.Add($"{SectionName}:{nameof(HmacKey)} is {key.Length} bytes; at least 32 are required.");
        }
    }

    public override string ToString() =>
        $"{nameof(CheckpointEvery)}={CheckpointEvery}, {nameof(HmacKey)}={(string.IsNullOrEmpty(HmacKey) ? "(none: no signed checkpoints)" : "***")}, {nameof(KeyId)}={KeyId}";
}
