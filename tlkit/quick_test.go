package tlkit

import "testing"

func TestQuick(t *testing.T) {
	for _, c := range []struct {
		value string
		want  bool
	}{
		{"", false}, {"0", false}, {"false", false}, {"No", false}, {"off", false},
		{"1", true}, {"true", true}, {"YES", true}, {" on ", true}, {"quick", true},
	} {
		t.Setenv(QuickEnvVar, c.value)
		if got := Quick(); got != c.want {
			t.Errorf("%s=%q: Quick() = %v, want %v", QuickEnvVar, c.value, got, c.want)
		}
		if got, want := QuickOr(10, 1000), map[bool]int{true: 10, false: 1000}[c.want]; got != want {
			t.Errorf("%s=%q: QuickOr(10, 1000) = %d, want %d", QuickEnvVar, c.value, got, want)
		}
	}
}
