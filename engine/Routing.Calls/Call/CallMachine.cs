namespace Routing.Calls;

/// <summary>One trigger as fired, with the argument the trigger carries (a menu digit, a playback id or
/// leg failure reason, a timer); the fields a trigger does not carry stay default.</summary>
internal readonly record struct CallFiring(CallTrigger Trigger, char Digit = default, string Text = "", CallTimer Timer = default);

/// <summary>
/// The call's transition table: for each state, what each trigger does there — move to another state
/// (<see cref="CallRuleKind.Permit"/>), run an action and stay (<see cref="CallRuleKind.Internal"/>), or
/// nothing, on purpose (<see cref="CallRuleKind.Ignore"/>) — and the state's entry action. Built once per
/// engine shape (with or without a call-taker centre) and shared by every call: its actions are static and
/// get the call they act on, so a call costs no configuration of its own. (The per-call Stateless machine
/// it replaces was about a fifth of the bytes a routed call allocated: load-tests/README.md, issue 11.)
/// Immutable after <see cref="Builder.Build"/>.
/// </summary>
internal sealed class CallMachine
{
    private readonly StateRules?[] _byState;

    private CallMachine(IReadOnlyList<StateRules> states)
    {
        States = states;
        _byState = new StateRules?[Enum.GetValues<CallState>().Length];
        foreach (var s in states) _byState[(int)s.State] = s;
    }

    /// <summary>Every configured state, in the order it was configured (the diagram's order).</summary>
    public IReadOnlyList<StateRules> States { get; }

    /// <summary>What <paramref name="trigger"/> does in <paramref name="state"/>; null when the state
    /// has no rule for it (the call records that as <c>input.ignored</c>).</summary>
    public CallRule? Find(CallState state, CallTrigger trigger) => _byState[(int)state]?.Find(trigger);

    /// <summary>The entry action of <paramref name="state"/>, if it has one.</summary>
    public StateRules? For(CallState state) => _byState[(int)state];

    /// <summary>A state's rules. Built through <see cref="Builder"/>.</summary>
    internal sealed class StateRules
    {
        private readonly List<CallRule> _rules = [];
        private readonly CallRule?[] _byTrigger = new CallRule?[Enum.GetValues<CallTrigger>().Length];

        internal StateRules(CallState state) => State = state;

        public CallState State { get; }

        /// <summary>Runs after the call moved into this state (and after the transition was recorded):
        /// it gets the state the call came from and the trigger that moved it.</summary>
        public Func<Call, CallState, CallTrigger, Task>? OnEntry { get; private set; }

        public string? EntryDescription { get; private set; }

        /// <summary>The rules in the order they were declared.</summary>
        public IReadOnlyList<CallRule> Rules => _rules;

        public CallRule? Find(CallTrigger trigger) => _byTrigger[(int)trigger];

        public StateRules OnEntryAsync(Func<Call, CallState, CallTrigger, Task> action, string description)
        {
            if (OnEntry is not null) throw new InvalidOperationException($"{State} already has an entry action");
            OnEntry = action;
            EntryDescription = description;
            return this;
        }

        public StateRules Permit(CallTrigger trigger, CallState destination)
        {
            // A permit back into the same state would run the entry action again; no call does that.
            if (destination == State) throw new InvalidOperationException($"{State} cannot permit {trigger} to itself; use Internal");
            return Add(new CallRule(trigger, CallRuleKind.Permit, destination, null));
        }

        public StateRules Internal(CallTrigger trigger, Func<Call, CallFiring, Task> action) =>
            Add(new CallRule(trigger, CallRuleKind.Internal, State, action));

        public StateRules Ignore(CallTrigger trigger) => Add(new CallRule(trigger, CallRuleKind.Ignore, State, null));

        private StateRules Add(CallRule rule)
        {
            if (_byTrigger[(int)rule.Trigger] is { } existing)
                throw new InvalidOperationException($"{State} has two rules for {rule.Trigger} ({existing.Kind} and {rule.Kind})");
            _byTrigger[(int)rule.Trigger] = rule;
            _rules.Add(rule);
            return this;
        }
    }

    /// <summary>Collects the states in the order they are configured; each state once.</summary>
    internal sealed class Builder
    {
        private readonly List<StateRules> _states = [];

        public StateRules Configure(CallState state)
        {
            if (_states.Exists(s => s.State == state)) throw new InvalidOperationException($"{state} is configured twice");
            var rules = new StateRules(state);
            _states.Add(rules);
            return rules;
        }

        public CallMachine Build() => new(_states.ToArray());
    }
}

internal enum CallRuleKind
{
    /// <summary>The trigger moves the call to <see cref="CallRule.Destination"/>.</summary>
    Permit,

    /// <summary>The trigger runs <see cref="CallRule.Action"/>; the call stays where it is.</summary>
    Internal,

    /// <summary>Expected and meaningless here (a duplicate hang-up, a late playback end): nothing happens.</summary>
    Ignore,
}

internal sealed record CallRule(CallTrigger Trigger, CallRuleKind Kind, CallState Destination, Func<Call, CallFiring, Task>? Action);
