package timefmt

import "testing"

func TestFormats(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Millis(65867), "00:01:05.867"},
		{Millis(4*3600000 + 59), "04:00:00.059"},
		{Clock(192), "03:12"},
		{Clock(3725), "62:05"},
		{Minutes(550.4), "9:10"},
		{Minutes(59.5), "1:00"},
		{Tenths(60.46), "01:00.5"},
		{Tenths(3723.4), "1:02:03.4"},
		{Span(15), "15s"},
		{Span(7.54), "7.5s"},
		{Span(120), "2m"},
		{Span(150), "2m30s"},
		{Span(90.25), "1m30.3s"},
		{HMS(4 * 3600), "4h00m00s"},
		{HMS(545.9), "9m05s"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
