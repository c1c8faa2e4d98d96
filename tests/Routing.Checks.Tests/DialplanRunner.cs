using System.Text;
using Routing.Checks.Asterisk;

namespace Routing.Checks.Tests;

/// <summary>
/// Runs the shipped extensions.conf the way Asterisk's PBX core would, for the few applications and
/// functions it uses (NoOp, Stasis, GotoIf, ExecIf, Set, LOCAL, Gosub/Return, Goto, Dial, UserEvent, TryExec, CELGenUserEvent,
/// Hangup, MessageSend, FILTER, CALLERID, CUT, GLOBAL, MESSAGE, MESSAGE_DATA, URIENCODE, EPOCH, substrings and $[...] with = != &lt; &gt; - &amp; |),
/// so tests can follow a call or a MESSAGE
/// through the fallback without an Asterisk. Anything else fails the test loudly instead of guessing.
/// </summary>
internal sealed class DialplanRunner
{
    private const int MaxSteps = 500;

    private readonly Dialplan _dialplan;
    private readonly Dictionary<string, string> _globals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _channel = new(StringComparer.Ordinal);
    private readonly Stack<Frame> _frames = new();
    private Frame _frame;

    public DialplanRunner(Dialplan dialplan, string callerNumber)
    {
        _dialplan = dialplan;
        CallerNumber = callerNumber;
        foreach (var entry in dialplan.Globals?.Own ?? []) _globals[entry.Key] = entry.Value;
        _frame = new Frame("", "", 0);
    }

    public string CallerNumber { get; }

    /// <summary>What Stasis() does: the status it leaves and the variables the engine set.</summary>
    public Func<IReadOnlyList<string>, (string Status, IReadOnlyDictionary<string, string> Variables)> Stasis { get; init; } =
        _ => ("FAILED", new Dictionary<string, string>());

    /// <summary>When set, the engine leaves Stasis with ARI <c>continue?label=...</c>: Asterisk goes on at that
    /// label of the channel's current context and extension (ast_ari_channels_continue_in_dialplan); a label
    /// the extension lacks fails the test, as Asterisk answers 404 "Requested label can not be found".</summary>
    public string? StasisContinueLabel { get; init; }

    /// <summary>DIALSTATUS per dial target; CHANUNAVAIL for anything not listed.</summary>
    public IReadOnlyDictionary<string, string> DialResults { get; init; } = new Dictionary<string, string>();

    public List<(string Target, string Timeout)> Dials { get; } = [];

    /// <summary>Per Dial(), in order: the dialled channel's variables once its pre-dial handler b(...) ran (none without one).</summary>
    public List<IReadOnlyDictionary<string, string>> Callees { get; } = [];

    public List<string> UserEvents { get; } = [];

    /// <summary>CELGenUserEvent() data, in order.</summary>
    public List<string> CelEvents { get; } = [];

    /// <summary>MixMonitor() file names, in order.</summary>
    public List<string> Recordings { get; } = [];

    public List<IReadOnlyList<string>> StasisCalls { get; } = [];

    /// <summary>When set, the engine dies while the caller waits in Stasis(): nobody re-arms TIMEOUT(absolute),
    /// it fires, Stasis() returns SUCCESS and the PBX clears the timeout and continues at the context's T
    /// extension (main/pbx.c), or hangs up when there is none. No timeout armed fails the test: that caller
    /// would wait in Stasis forever.</summary>
    public bool EngineDiesInStasis { get; init; }

    /// <summary>TIMEOUT(absolute) as the channel had it at each Dial(): "0" or "" means none.</summary>
    public List<string> TimeoutAtDial { get; } = [];

    /// <summary>${EPOCH}: the runner's clock in Unix seconds.</summary>
    public long Epoch { get; init; } = 1_796_515_200;

    /// <summary>MESSAGE(from) and MESSAGE(body) of the MESSAGE a messages context runs for (main/message.c).</summary>
    public string MessageFrom { get; init; } = "";

    public string MessageBody { get; set; } = "";

    /// <summary>MESSAGE(to): res_pjsip_messaging sets it from the received To (sip: made pjsip:), and MessageSend puts it in
    /// the To of what it sends unless it is empty (then To is the request URI: res_pjsip_messaging.c msg_send).</summary>
    public string MessageTo { get; set; } = "pjsip:112@127.0.0.1:5060";

    /// <summary>MESSAGE_DATA(Call-ID): the Call-ID header of the MESSAGE.</summary>
    public string MessageCallId { get; init; } = "c0ffee-1@appgw.example";

    /// <summary>MessageSend(destination,from) calls with the body and MESSAGE(to) at that moment, in order.</summary>
    public List<(string Destination, string From, string Body, string To)> MessagesSent { get; } = [];

    /// <summary>A global variable as ARI's POST /asterisk/variable would set it.</summary>
    public void SetGlobal(string name, string value) => _globals[name] = value;

    public string? Variable(string name) => _channel.TryGetValue(name, out var value) ? value : null;

    public bool HungUp { get; private set; }

    /// <summary>A channel variable as the engine's originate or an earlier step would have set it.</summary>
    public void SetChannelVariable(string name, string value) => _channel[name] = value;

    /// <summary>Runs a subroutine as Asterisk runs a pre-dial handler or CONNECTED_LINE_SEND_SUB (ast_app_exec_sub):
    /// <c>context,exten,priority(args)</c> from that step until its Return().</summary>
    public void RunSubroutine(string location)
    {
        _frame = new Frame("", "", 0);
        Execute("gosub", location, []);
        for (var count = 0; count < MaxSteps; count++)
        {
            if (_frames.Count == 0) return;
            var steps = _dialplan.ExtensionFor(_frame.Context, _frame.Extension);
            Assert.True(_frame.Index < steps.Count, $"subroutine {location} ended without Return()");
            var step = steps[_frame.Index];
            _frame.Index++;
            if (!Execute(step.App, Substitute(step.Data), steps)) return;
        }
        Assert.Fail($"subroutine {location} ran more than {MaxSteps} steps: a loop");
    }

    /// <summary>app_dial's b(context^exten^priority(arg1^arg2)) runs on the new channel before it is dialled.</summary>
    private Dictionary<string, string> Callee(string options)
    {
        var preDial = Routing.Checks.Checks.CallerIdentityCheck.ParseOptions(options).PreDialCallee;
        if (string.IsNullOrEmpty(preDial)) return new Dictionary<string, string>(StringComparer.Ordinal);
        var callee = new DialplanRunner(_dialplan, CallerNumber);
        callee.RunSubroutine(preDial.Replace('^', ','));
        return callee._channel;
    }

    public void Run(string context, string number)
    {
        _frame = new Frame(context, number, 0);
        for (var count = 0; count < MaxSteps; count++)
        {
            var steps = _dialplan.ExtensionFor(_frame.Context, _frame.Extension);
            if (_frame.Index >= steps.Count) return; // autofallthrough: the channel is hung up
            var step = steps[_frame.Index];
            _frame.Index++;
            if (!Execute(step.App, Substitute(step.Data), steps)) return;
        }
        Assert.Fail($"the dialplan ran more than {MaxSteps} steps: a loop");
    }

    /// <summary>Applications this Asterisk was built without: pbx.c logs "No application" and the channel is hung up.</summary>
    public IReadOnlySet<string> MissingApplications { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    private bool Execute(string app, string data, IReadOnlyList<DialplanStep> steps)
    {
        if (MissingApplications.Contains(app))
        {
            HungUp = true;
            return false;
        }
        switch (app.ToLowerInvariant())
        {
            case "noop":
                return true;
            case "hangup":
                HungUp = true;
                return false;
            case "stasis":
                var args = DialplanStep.SplitArgs(data);
                StasisCalls.Add(args);
                if (EngineDiesInStasis)
                {
                    Assert.True(IsTrue(Read("TIMEOUT(absolute)")), $"no TIMEOUT(absolute) armed before Stasis() in {_frame.Context},{_frame.Extension}: with the engine dead the caller would wait forever");
                    _channel["STASISSTATUS"] = "SUCCESS";
                    _channel["TIMEOUT(absolute)"] = "";
                    if (_dialplan.ExtensionFor(_frame.Context, "T").Count == 0)
                    {
                        HungUp = true;
                        return false;
                    }
                    _frame = new Frame(_frame.Context, "T", 0);
                    return true;
                }
                var (status, variables) = Stasis(args);
                _channel["STASISSTATUS"] = status;
                foreach (var (name, value) in variables) _channel[name] = value;
                if (StasisContinueLabel is { } label) Goto(label, steps);
                return true;
            case "set":
                var equals = data.IndexOf('=');
                SetVariable(data[..equals], data[(equals + 1)..]);
                return true;
            case "gotoif":
                var question = data.IndexOf('?');
                var labels = data[(question + 1)..].Split(':');
                var target = IsTrue(data[..question]) ? labels[0] : labels.Length > 1 ? labels[1] : "";
                if (target.Length > 0) Goto(target, steps);
                return true;
            case "goto":
                var place = data.Split(',');
                if (place.Length == 3)
                {
                    // Goto(context,extension,priority): the same channel goes on there (no return, unlike Gosub).
                    _frame = new Frame(place[0], place[1], int.Parse(place[2], System.Globalization.CultureInfo.InvariantCulture) - 1);
                    return true;
                }
                Goto(data, steps);
                return true;
            case "execif":
                var q = data.IndexOf('?');
                if (!IsTrue(data[..q])) return true;
                var call = data[(q + 1)..];
                var open = call.IndexOf('(');
                return Execute(call[..open], call[(open + 1)..^1], steps);
            case "gosub":
                var openArgs = data.IndexOf('(');
                var location = (openArgs < 0 ? data : data[..openArgs]).Split(',');
                Assert.Equal(3, location.Length);
                var gosubArgs = openArgs < 0 ? [] : DialplanStep.SplitArgs(data[(openArgs + 1)..^1]);
                _frames.Push(_frame);
                _frame = new Frame(location[0], location[1], int.Parse(location[2], System.Globalization.CultureInfo.InvariantCulture) - 1);
                for (var i = 0; i < gosubArgs.Count; i++) _frame.Locals[$"ARG{i + 1}"] = gosubArgs[i];
                return true;
            case "return":
                _channel["GOSUB_RETVAL"] = data;
                Assert.True(_frames.Count > 0, "Return() outside of a Gosub()");
                _frame = _frames.Pop();
                return true;
            case "dial":
                var dialArgs = DialplanStep.SplitArgs(data);
                Dials.Add((dialArgs[0], dialArgs.Count > 1 ? dialArgs[1] : ""));
                Callees.Add(Callee(dialArgs.Count > 2 ? dialArgs[2] : ""));
                TimeoutAtDial.Add(Read("TIMEOUT(absolute)"));
                _channel["DIALSTATUS"] = DialResults.TryGetValue(dialArgs[0], out var result) ? result : "CHANUNAVAIL";
                return true;
            case "userevent":
                UserEvents.Add(data);
                return true;
            case "celgenuserevent":
                CelEvents.Add(data);
                return true;
            case "tryexec":
                // app_exec.c tryexec_exec: runs the application if it exists, sets TRYSTATUS, always returns 0.
                var tryOpen = data.IndexOf('(');
                var tryApp = data[..tryOpen];
                if (MissingApplications.Contains(tryApp))
                {
                    _channel["TRYSTATUS"] = "NOAPP";
                    return true;
                }
                var ran = Execute(tryApp, data[(tryOpen + 1)..^1], steps);
                _channel["TRYSTATUS"] = ran ? "SUCCESS" : "FAILED";
                return true;
            case "messagesend":
                var send = DialplanStep.SplitArgs(data);
                MessagesSent.Add((send[0], send.Count > 1 ? send[1] : "", MessageBody, MessageTo));
                _channel["MESSAGE_SEND_STATUS"] = send[0].StartsWith("pjsip:", StringComparison.Ordinal) ? "SUCCESS" : "INVALID_PROTOCOL";
                return true;
            case "mixmonitor":
                Recordings.Add(data);
                return true;
            default:
                Assert.Fail($"DialplanRunner does not know {app}({data})");
                return false;
        }
    }

    private void Goto(string label, IReadOnlyList<DialplanStep> steps)
    {
        var index = steps.ToList().FindIndex(s => s.Label == label);
        Assert.True(index >= 0, $"no label ({label}) in {_frame.Context},{_frame.Extension}");
        _frame.Index = index;
    }

    private void SetVariable(string name, string value)
    {
        if (name == "MESSAGE(body)") MessageBody = value;
        else if (name == "MESSAGE(to)") MessageTo = value;
        else if (name.StartsWith("LOCAL(", StringComparison.Ordinal)) _frame.Locals[name[6..^1]] = value;
        else _channel[name] = value;
    }

    private string Read(string name) =>
        name == "EPOCH" ? Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : _frame.Locals.TryGetValue(name, out var local) ? local
        : _channel.TryGetValue(name, out var value) ? value
        : _globals.TryGetValue(name, out var global) ? global
        : "";

    private static bool IsTrue(string value) => value.Length > 0 && value != "0";

    /// <summary>Replaces ${...} and $[...] from the inside out, as pbx_substitute_variables does.</summary>
    private string Substitute(string text)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] is '{' or '[')
            {
                var close = Matching(text, i + 1);
                var inner = Substitute(text[(i + 2)..close]);
                result.Append(text[i + 1] == '{' ? Evaluate(inner) : Expression(inner));
                i = close;
            }
            else
            {
                result.Append(text[i]);
            }
        }
        return result.ToString();
    }

    private static int Matching(string text, int open)
    {
        var (opener, closer) = text[open] == '{' ? ('{', '}') : ('[', ']');
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (text[i] == opener) depth++;
            else if (text[i] == closer && --depth == 0) return i;
        }
        throw new InvalidOperationException($"unbalanced {opener} in {text}");
    }

    private string Evaluate(string inner)
    {
        var paren = inner.IndexOf('(');
        if (paren > 0 && inner.EndsWith(')'))
        {
            var function = inner[..paren];
            var args = inner[(paren + 1)..^1];
            switch (function)
            {
                case "CALLERID":
                    Assert.Equal("num", args);
                    return CallerNumber;
                case "STRFTIME":
                    // STRFTIME(epoch,zone,format): the runner's clock is fixed at 2026-12-06 UTC.
                    var strftime = DialplanStep.SplitArgs(args);
                    Assert.Equal("GMT", strftime[1]);
                    return strftime[2].Replace("%Y", "2026").Replace("%m", "12").Replace("%d", "06");
                case "GLOBAL":
                    return _globals.TryGetValue(args, out var global) ? global : "";
                case "MESSAGE":
                    return args switch
                    {
                        "from" => MessageFrom,
                        "body" => MessageBody,
                        "to" => MessageTo,
                        _ => throw new InvalidOperationException($"MESSAGE({args}) is not modelled"),
                    };
                case "MESSAGE_DATA":
                    // res_pjsip_messaging headers_to_vars: every header of the MESSAGE by its name, and PJSIP_RECVADDR.
                    return args switch
                    {
                        "PJSIP_RECVADDR" => "127.0.0.1:15064",
                        "Call-ID" => MessageCallId,
                        _ => throw new InvalidOperationException($"MESSAGE_DATA({args}) is not modelled"),
                    };
                case "URIENCODE":
                    return UriEncode(args);
                case "CUT":
                    // func_cut.c: CUT(varname,delimiter,field), fields counted from 1; a missing field is empty.
                    var cut = DialplanStep.SplitArgs(args);
                    var fields = Read(cut[0]).Split(cut[1]);
                    var field = int.Parse(cut[2], System.Globalization.CultureInfo.InvariantCulture);
                    return field <= fields.Length ? fields[field - 1] : "";
                case "FILTER":
                    var comma = args.IndexOf(',');
                    return Filter(args[..comma], args[(comma + 1)..]);
                default:
                    Assert.Fail($"DialplanRunner does not know the function {function}()");
                    return "";
            }
        }
        var parts = inner.Split(':');
        var value = Read(parts[0]);
        if (parts.Length == 1) return value;
        var offset = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var length = parts.Length > 2 ? int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : int.MaxValue;
        if (offset >= value.Length) return "";
        return value.Substring(offset, Math.Min(length, value.Length - offset));
    }

    /// <summary>func_uri.c URIENCODE: ast_uri_encode with ast_uri_http — letters, digits and <c>-_.!~*'()</c> stay, every
    /// other byte of the UTF-8 text becomes %XX (upper-case hex).</summary>
    internal static string UriEncode(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || "-_.!~*'()".Contains((char)b, StringComparison.Ordinal)) sb.Append((char)b);
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static string Filter(string allowed, string value) =>
        new(value.Where(c => ExtensionPattern.InSet(allowed, c)).ToArray());

    /// <summary>$[...]: quoted strings and bare words compared with = and !=, joined with &amp; and |.</summary>
    private static string Expression(string text)
    {
        var tokens = Tokens(text);
        var position = 0;
        string Term() => tokens[position++];
        string Additive()
        {
            var left = Term();
            while (position < tokens.Count && tokens[position] == "-")
            {
                position++;
                var right = Term();
                var a = Number(left, text);
                var b = Number(right, text);
                left = (a - b).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return left;
        }
        string Comparison()
        {
            var left = Additive();
            if (position < tokens.Count && tokens[position] is "=" or "!=" or "<" or ">")
            {
                var op = tokens[position++];
                var right = Additive();
                if (op is "<" or ">")
                {
                    // ast_expr2 compares numbers (strtold: a leading 0 is still decimal).
                    var (a, b) = (Number(left, text), Number(right, text));
                    return (op == "<" ? a < b : a > b) ? "1" : "0";
                }
                return (left == right) == (op == "=") ? "1" : "0";
            }
            return left;
        }
        string And()
        {
            var left = Comparison();
            while (position < tokens.Count && tokens[position] == "&")
            {
                position++;
                var right = Comparison();
                left = IsTrue(left) && IsTrue(right) ? left : "0";
            }
            return left;
        }
        var value = And();
        while (position < tokens.Count && tokens[position] == "|")
        {
            position++;
            var right = And();
            value = IsTrue(value) ? value : right;
        }
        Assert.True(position == tokens.Count, $"cannot evaluate $[{text}]");
        return value;
    }

    /// <summary>Arithmetic on a word that is no number fails the expression in Asterisk: here it fails the test.</summary>
    private static long Number(string word, string expression)
    {
        Assert.True(long.TryParse(word, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value),
            $"$[{expression}]: '{word}' is no number");
        return value;
    }

    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '"')
            {
                var end = text.IndexOf('"', i + 1);
                tokens.Add(text[(i + 1)..end]);
                i = end + 1;
            }
            else if (c == '!' && i + 1 < text.Length && text[i + 1] == '=')
            {
                tokens.Add("!=");
                i += 2;
            }
            else if (c is '=' or '&' or '|' or '<' or '>')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('=' or '&' or '|' or '!' or '<' or '>')) i++;
                tokens.Add(text[start..i]);
            }
        }
        return tokens;
    }

    private sealed class Frame(string context, string extension, int index)
    {
        public string Context { get; } = context;

        public string Extension { get; } = extension;

        public int Index { get; set; } = index;

        public Dictionary<string, string> Locals { get; } = new(StringComparer.Ordinal);
    }
}
