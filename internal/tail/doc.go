// Package tail keeps the end of a program's output, which is what an
// error message quotes, in memory that does not grow with the output: a
// program that prints gigabytes costs limber a few kilobytes.
package tail
