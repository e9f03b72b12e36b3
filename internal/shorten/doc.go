// Package shorten cuts text for a one-line message: a name, a sentence
// or a program's last words quoted in an error.
package shorten
