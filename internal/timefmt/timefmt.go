package timefmt

import "fmt"

// Millis formats a time in milliseconds as hh:mm:ss.mmm, the form WebVTT
// cues and FLAC chapters take: 00:01:05.867.
func Millis(ms int64) string {
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3600000, ms/60000%60, ms/1000%60, ms%1000)
}

// Clock formats whole seconds as mm:ss: 03:12.
func Clock(sec int) string {
	return fmt.Sprintf("%02d:%02d", sec/60, sec%60)
}

// Minutes formats seconds as m:ss, rounded to the second: 9:10.
func Minutes(sec float64) string {
	n := int(sec + 0.5)
	return fmt.Sprintf("%d:%02d", n/60, n%60)
}

// Tenths formats seconds as mm:ss.d, or h:mm:ss.d from an hour on,
// rounded to the tenth: 01:00.5, 1:02:03.4.
func Tenths(sec float64) string {
	tenths := tenthsOf(sec)
	h, m, s, d := tenths/36000, tenths/600%60, tenths/10%60, tenths%10
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d.%d", h, m, s, d)
	}
	return fmt.Sprintf("%02d:%02d.%d", m, s, d)
}

// Span formats a length compactly, rounded to the tenth: 15s, 7.5s, 2m,
// 2m30s.
func Span(sec float64) string {
	tenths := tenthsOf(sec)
	if tenths >= 600 {
		m, rest := tenths/600, tenths%600
		if rest == 0 {
			return fmt.Sprintf("%dm", m)
		}
		return fmt.Sprintf("%dm%s", m, Span(float64(rest)/10))
	}
	if tenths%10 == 0 {
		return fmt.Sprintf("%ds", tenths/10)
	}
	return fmt.Sprintf("%d.%ds", tenths/10, tenths%10)
}

// tenthsOf rounds seconds to tenths. The product is rounded before the
// half is added, so that no CPU fuses the two and rounds once: the same
// time is written the same on every machine.
func tenthsOf(sec float64) int { return int(float64(sec*10) + 0.5) }

// HMS formats whole seconds, the fraction dropped, as 4h00m00s, or 9m05s
// under an hour.
func HMS(sec float64) string {
	h := int(sec) / 3600
	m := int(sec) % 3600 / 60
	s := int(sec) % 60
	if h > 0 {
		return fmt.Sprintf("%dh%02dm%02ds", h, m, s)
	}
	return fmt.Sprintf("%dm%02ds", m, s)
}
