package ginclerk

import (
	"fmt"
	"strconv"
)

// ReverificationType names one of Clerk's reverification presets, for
// Reverification.
type ReverificationType string

// Clerk's reverification presets: how recently the user must have verified,
// and with which factors.
const (
	// ReverifyStrictMFA requires both factors within 10 minutes (MultiFactor).
	ReverifyStrictMFA ReverificationType = "strict_mfa"
	// ReverifyStrict requires the second factor within 10 minutes (SecondFactor).
	ReverifyStrict ReverificationType = "strict"
	// ReverifyModerate requires the second factor within 60 minutes.
	ReverifyModerate ReverificationType = "moderate"
	// ReverifyLax requires the second factor within 24 hours (1,440 minutes).
	ReverifyLax ReverificationType = "lax"
)

// VerificationLevel says which factors a reverification check looks at, for
// ReverificationAfter.
type VerificationLevel string

// Clerk's verification levels. A user without a second factor is judged on
// the first factor alone at SecondFactor and MultiFactor, as in Clerk.
const (
	// FirstFactor requires a fresh first factor (password, email code, …).
	FirstFactor VerificationLevel = "first_factor"
	// SecondFactor requires a fresh second factor — or first factor, for a
	// user without a second factor.
	SecondFactor VerificationLevel = "second_factor"
	// MultiFactor requires both factors fresh — or the first, for a user
	// without a second factor.
	MultiFactor VerificationLevel = "multi_factor"
)

// presets are Clerk's definitions of the reverification presets.
var presets = map[ReverificationType]reverifyRule{
	ReverifyStrictMFA: {level: MultiFactor, minutes: 10},
	ReverifyStrict:    {level: SecondFactor, minutes: 10},
	ReverifyModerate:  {level: SecondFactor, minutes: 60},
	ReverifyLax:       {level: SecondFactor, minutes: 1440},
}

// Reverification passes when the user verified recently enough for the
// preset t (ReverifyStrictMFA, ReverifyStrict, ReverifyModerate or
// ReverifyLax), judged from the fva claim as Clerk's has() does. It fails
// when the token carries no fva and for an unknown preset.
func Reverification(t ReverificationType) Check {
	r := presets[t] // the zero rule, for an unknown t, never passes
	r.preset = t
	return Check{kind: checkReverification, reverify: r}
}

// ReverificationAfter passes when the factors level names were verified
// less than minutes ago — Clerk's custom {level, afterMinutes}. It fails for
// minutes <= 0 or an unknown level, and when the token carries no fva.
func ReverificationAfter(minutes int, level VerificationLevel) Check {
	return Check{kind: checkReverification, reverify: reverifyRule{level: level, minutes: minutes}}
}

// reverifyRule is a resolved reverification requirement.
type reverifyRule struct {
	level   VerificationLevel
	minutes int
	preset  ReverificationType // the preset it came from, "" for a custom rule
}

// validate reports a rule that can never pass.
func (r reverifyRule) validate() error {
	if r.preset != "" {
		if _, ok := presets[r.preset]; !ok {
			return fmt.Errorf("reverification: unknown preset %q", string(r.preset))
		}
		return nil
	}
	switch r.level {
	case FirstFactor, SecondFactor, MultiFactor:
	default:
		return fmt.Errorf("reverification: unknown level %q", string(r.level))
	}
	if r.minutes <= 0 {
		return fmt.Errorf("reverification: %d minutes is not a positive age", r.minutes)
	}
	return nil
}

// passes applies Clerk's rules to fva = [first-factor age, second-factor
// age] in minutes, -1 for a factor that is not enabled. A factor is fresh
// when its age is below the rule's minutes.
func (r reverifyRule) passes(fva *[2]int) bool {
	if fva == nil || r.validate() != nil {
		return false
	}
	f1, f2 := fva[0], fva[1]
	if !validFactorAge(f1) || !validFactorAge(f2) || (f1 == -1 && f2 == -1) {
		return false
	}
	fresh1 := f1 != -1 && f1 < r.minutes
	fresh2 := f2 != -1 && f2 < r.minutes
	switch r.level {
	case FirstFactor:
		return fresh1
	case SecondFactor:
		if f2 == -1 {
			return fresh1
		}
		return fresh2
	case MultiFactor:
		switch {
		case f2 == -1:
			return fresh1
		case f1 == -1:
			return false
		default:
			return fresh1 && fresh2
		}
	}
	return false
}

// validFactorAge: -1 (not enabled) or a non-negative age, as Clerk requires.
func validFactorAge(age int) bool { return age == -1 || age >= 0 }

// String describes the rule: the preset name, or "second_factor within 10
// minutes".
func (r reverifyRule) String() string {
	if r.preset != "" {
		return string(r.preset)
	}
	return string(r.level) + " within " + strconv.Itoa(r.minutes) + " minutes"
}

// hint is the value Clerk's frontend expects in a reverification-error
// response (clerk_error.metadata.reverification): the preset name, or the
// custom {level, afterMinutes} object.
func (r reverifyRule) hint() any {
	if r.preset != "" {
		return string(r.preset)
	}
	return struct {
		Level        VerificationLevel `json:"level"`
		AfterMinutes int               `json:"afterMinutes"`
	}{r.level, r.minutes}
}
