namespace Routing.Calls;

/// <summary>Where a caller is in the 112 voice menu.</summary>
public enum IvrPhase
{
    /// <summary>The greeting; a digit pressed now already answers the language menu.</summary>
    Greeting,
    LanguageMenu,
    ServiceMenu,
    /// <summary>Nothing was pressed: the silent-call prompt, then a call-taker.</summary>
    SilentCall,
}
