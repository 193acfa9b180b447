package io.hbwatch.examples;

/** Placeholder until the demo service lands (issue 7): prints a line and returns. */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) {
        System.out.println("hello from an app watched by hbwatch");
    }
}
