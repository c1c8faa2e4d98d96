using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Routing.Calls.Ports;
using Routing.Engine.Metrics;
using Routing.Ledger;

namespace Routing.Engine.Calls.Cel;

/// <summary>
/// Reads Asterisk's CEL file at start and every <see cref="CelImportOptions.Interval"/>, from where it left
/// off (from the start again when the file was rotated or truncated), so that calls the dialplan routed while
/// the engine was down reach the ledger once it is back — AMI replays nothing. A partial last line waits for
/// the next pass. Records go through the journal like every other record (write-before-act's bound, the spool).
/// </summary>
internal sealed class CelImportService : BackgroundService
{
    private readonly CelImportOptions _options;
    private readonly CelImporter _importer;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private long _offset;
    private long _lineNumber;
    private string _partial = "";

    public CelImportService(CelImportOptions options, ICallJournal journal, LedgerReader reader, TimeProvider time, ILogger<CelImportService> log)
        : this(options, journal, async (channel, ct) => (await reader.FindByCallerChannelAsync(channel, ct).ConfigureAwait(false)).Count > 0, time, log)
    {
    }

    internal CelImportService(CelImportOptions options, ICallJournal journal, Func<string, CancellationToken, Task<bool>> known, TimeProvider time, ILogger<CelImportService> log)
    {
        _options = options;
        _time = time;
        _log = log;
        _importer = new CelImporter(journal, known, options.UtcOffset, log);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        do
        {
            try
            {
                await PassAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogMessages.CelImportFailed(_log, _options.File, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One pass: new complete lines since the last one.</summary>
    internal async Task<CelImportResult?> PassAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(_options.File))
        {
            LogMessages.CelFileMissing(_log, _options.File);
            return null;
        }

        string text;
        await using (var stream = new FileStream(_options.File, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            if (stream.Length < _offset)
            {
                // Rotated or truncated: a new file starts from its beginning.
                _offset = 0;
                _lineNumber = 0;
                _partial = "";
            }

            stream.Seek(_offset, SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
            text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            _offset = stream.Length;
        }

        var all = _partial + text;
        var lastNewline = all.LastIndexOf('\n');
        _partial = lastNewline < 0 ? all : all[(lastNewline + 1)..];
        var complete = lastNewline < 0 ? "" : all[..lastNewline];
        var lines = complete.Split('\n').Select(l => (++_lineNumber, l.TrimEnd('\r'))).ToList();
        var result = await _importer.ConsumeAsync(lines, _options.File, cancellationToken).ConfigureAwait(false);
        if (result.Recorded > result.Texts) EngineMetrics.FallbackCallsImported.Inc(result.Recorded - result.Texts);
        if (result.Texts > 0) EngineMetrics.FallbackTextsImported.Inc(result.Texts);
        if (result.Rejected > 0) EngineMetrics.CelLinesRejected.Inc(result.Rejected);
        return result;
    }
}
