using Routing.Engine.Hosting;
using System.Collections.Concurrent;
using System.Diagnostics;
using Routing.Simulator;

namespace Routing.Bench.Load;

/// <summary>
/// The simulator in a child process (this binary with <c>--simulator-host</c>), so its CPU time — the
/// stand-in for Asterisk's — can be read apart from the engine's. Calls are placed over stdin; their
/// ends come back on stdout and complete the <see cref="PlacedCall.Ended"/> tasks.
/// </summary>
public sealed class ChildSimulator : ISimulatorLink
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    private readonly Process process;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<HostMessage>> replies = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<CallEnd>> ends = new();
    private readonly TaskCompletionSource<AsteriskAddress> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task reader;
    private int counterSeq = -1;

    private ChildSimulator(Process process)
    {
        this.process = process;
        reader = Task.Run(ReadRepliesAsync);
        _ = Task.Run(ForwardErrorsAsync);
    }

    public string Placement => "child process";

    public AsteriskAddress Address { get; private set; } = null!;

    public Process? ChildProcess => process;

    public static async Task<ChildSimulator> StartAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot re-invoke the bench: Environment.ProcessPath is unknown");
        start.FileName = self;
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(ChildSimulator).Assembly.Location);
        start.ArgumentList.Add("--simulator-host");

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {self} --simulator-host");
        var child = new ChildSimulator(process);
        try
        {
            child.Address = await child.ready.Task.WaitAsync(StartTimeout, cancellationToken);
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    public async Task<PlacedCall> PlaceAsync(LoadCall call, CancellationToken cancellationToken)
    {
        var ended = ends.GetOrAdd(call.Seq, _ => new TaskCompletionSource<CallEnd>(TaskCreationOptions.RunContinuationsAsynchronously));
        var reply = await RequestAsync(call.Seq, new HostMessage(HostMessage.Place, call.Seq, Call: call), cancellationToken);
        return reply.Channel is { } channel
            ? new PlacedCall(call, channel, ended.Task)
            : throw new InvalidOperationException($"simulator host did not place call {call.Seq}: {reply.Error ?? reply.Op}");
    }

    public async Task<SimulatorCounters> CountersAsync(CancellationToken cancellationToken)
    {
        // Counter requests use negative sequence numbers so they never meet a call's.
        var seq = Interlocked.Decrement(ref counterSeq);
        var reply = await RequestAsync(seq, new HostMessage(HostMessage.CountersOp, seq), cancellationToken);
        return reply.Counters ?? throw new InvalidOperationException($"simulator host answered counters with {reply.Op}: {reply.Error}");
    }

    private async Task<HostMessage> RequestAsync(int seq, HostMessage message, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<HostMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        replies[seq] = reply;
        try
        {
            await SendAsync(message, cancellationToken);
            return await reply.Task.WaitAsync(ReplyTimeout, cancellationToken);
        }
        finally
        {
            replies.TryRemove(seq, out _);
        }
    }

    private async Task SendAsync(HostMessage message, CancellationToken cancellationToken)
    {
        var line = HostProtocol.Write(message);
        await sendLock.WaitAsync(cancellationToken);
        try
        {
            await process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken);
            await process.StandardInput.FlushAsync(cancellationToken);
        }
        finally
        {
            sendLock.Release();
        }
    }

    private async Task ReadRepliesAsync()
    {
        string? error = null;
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                var message = HostProtocol.Read(line);
                switch (message.Op)
                {
                    case HostMessage.Ready when message.Address is { } address:
                        ready.TrySetResult(address);
                        break;
                    case HostMessage.Ended when message.End is { } end:
                        ends.GetOrAdd(message.Seq, _ => new TaskCompletionSource<CallEnd>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(end);
                        break;
                    default:
                        if (replies.TryGetValue(message.Seq, out var waiting)) waiting.TrySetResult(message);
                        else if (message.Op == HostMessage.Failed) await Console.Error.WriteLineAsync($"bench: simulator host: {message.Error}");
                        break;
                }
            }

            error = "the simulator host closed its output";
        }
        catch (FormatException ex)
        {
            error = ex.Message;
        }
        catch (IOException ex)
        {
            error = $"reading the simulator host failed: {ex.Message}";
        }
        finally
        {
            var gone = new InvalidOperationException(error ?? "simulator host stopped");
            ready.TrySetException(gone);
            foreach (var waiting in replies.Values) waiting.TrySetException(gone);
        }
    }

    private async Task ForwardErrorsAsync()
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
            await Console.Error.WriteLineAsync("simulator host: " + line);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited) await SendAsync(new HostMessage(HostMessage.Quit), CancellationToken.None);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child is already gone; nothing left to tell it.
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"bench: simulator host {process.Id} did not quit within 10 s; killing it");
            process.Kill(entireProcessTree: true);
        }

        await reader.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        process.Dispose();
        sendLock.Dispose();
    }
}
