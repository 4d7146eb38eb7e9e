"""Code templates for small algorithms (and hello world): task -> {language: source}."""

ALGORITHMS: dict[str, dict[str, str]] = {
    "reverse": {
        "python": 'def reverse_string(text: str) -> str:\n    """Return the characters of text in reverse order."""\n'
                  '    return text[::-1]\n\n\nprint(reverse_string("hello"))  # olleh',
        "javascript": 'function reverseString(str) {\n  return [...str].reverse().join("");\n}\n\n'
                      'console.log(reverseString("hello")); // "olleh"',
        "typescript": 'function reverseString(str: string): string {\n  return [...str].reverse().join("");\n}\n\n'
                      'console.log(reverseString("hello")); // "olleh"',
        "java": 'public class StringUtils {\n    public static String reverseString(String text) {\n'
                '        return new StringBuilder(text).reverse().toString();\n    }\n}',
        "go": 'func reverseString(s string) string {\n\trunes := []rune(s)\n'
              '\tfor i, j := 0, len(runes)-1; i < j; i, j = i+1, j-1 {\n\t\trunes[i], runes[j] = runes[j], runes[i]\n'
              '\t}\n\treturn string(runes)\n}',
        "rust": 'fn reverse_string(s: &str) -> String {\n    s.chars().rev().collect()\n}\n\nfn main() {\n'
                '    println!("{}", reverse_string("hello")); // olleh\n}',
        "c": '#include <string.h>\n\nvoid reverse_string(char *s) {\n    size_t n = strlen(s);\n'
             '    for (size_t i = 0; i < n / 2; i++) {\n        char tmp = s[i];\n        s[i] = s[n - 1 - i];\n'
             '        s[n - 1 - i] = tmp;\n    }\n}',
        "cpp": '#include <algorithm>\n#include <string>\n\nstd::string reverse_string(std::string s) {\n'
               '    std::reverse(s.begin(), s.end());\n    return s;\n}',
        "csharp": 'public static string ReverseString(string text)\n{\n    var chars = text.ToCharArray();\n'
                  '    Array.Reverse(chars);\n    return new string(chars);\n}',
        "ruby": 'def reverse_string(text)\n  text.reverse\nend\n\nputs reverse_string("hello") # => olleh',
        "php": '<?php\n\nfunction reverseString(string $text): string\n{\n    return strrev($text);\n}\n\n'
               'echo reverseString("hello"); // olleh',
        "kotlin": 'fun reverseString(text: String): String = text.reversed()\n\nfun main() {\n'
                  '    println(reverseString("hello")) // olleh\n}',
        "swift": 'func reverseString(_ text: String) -> String {\n    return String(text.reversed())\n}\n\n'
                 'print(reverseString("hello")) // olleh',
        "bash": '#!/usr/bin/env bash\n\nreverse_string() {\n    local input="$1" reversed="" i\n'
                '    for (( i=${#input}-1; i>=0; i-- )); do\n        reversed+="${input:i:1}"\n    done\n'
                '    echo "$reversed"\n}\n\nreverse_string "hello"  # olleh',
    },
    "fibonacci": {
        "python": 'def fibonacci(n: int) -> list[int]:\n    """Return the first n Fibonacci numbers."""\n'
                  '    sequence = []\n    a, b = 0, 1\n    for _ in range(n):\n        sequence.append(a)\n'
                  '        a, b = b, a + b\n    return sequence\n\n\nprint(fibonacci(10))  # [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]',
        "javascript": 'function fibonacci(n) {\n  const sequence = [];\n  let [a, b] = [0, 1];\n'
                      '  for (let i = 0; i < n; i++) {\n    sequence.push(a);\n    [a, b] = [b, a + b];\n  }\n'
                      '  return sequence;\n}\n\nconsole.log(fibonacci(10));',
        "typescript": 'function fibonacci(n: number): number[] {\n  const sequence: number[] = [];\n'
                      '  let [a, b] = [0, 1];\n  for (let i = 0; i < n; i++) {\n    sequence.push(a);\n'
                      '    [a, b] = [b, a + b];\n  }\n  return sequence;\n}',
        "java": 'import java.util.ArrayList;\nimport java.util.List;\n\npublic class Fibonacci {\n'
                '    public static List<Long> fibonacci(int n) {\n        List<Long> sequence = new ArrayList<>();\n'
                '        long a = 0, b = 1;\n        for (int i = 0; i < n; i++) {\n            sequence.add(a);\n'
                '            long next = a + b;\n            a = b;\n            b = next;\n        }\n'
                '        return sequence;\n    }\n}',
        "go": 'func fibonacci(n int) []int {\n\tsequence := make([]int, 0, n)\n\ta, b := 0, 1\n'
              '\tfor i := 0; i < n; i++ {\n\t\tsequence = append(sequence, a)\n\t\ta, b = b, a+b\n\t}\n'
              '\treturn sequence\n}',
        "rust": 'fn fibonacci(n: usize) -> Vec<u64> {\n    let mut sequence = Vec::with_capacity(n);\n'
                '    let (mut a, mut b) = (0u64, 1u64);\n    for _ in 0..n {\n        sequence.push(a);\n'
                '        (a, b) = (b, a + b);\n    }\n    sequence\n}',
        "c": '#include <stdio.h>\n\nvoid print_fibonacci(int n) {\n    unsigned long long a = 0, b = 1;\n'
             '    for (int i = 0; i < n; i++) {\n        printf("%llu\\n", a);\n        unsigned long long next = a + b;\n'
             '        a = b;\n        b = next;\n    }\n}',
        "cpp": '#include <vector>\n\nstd::vector<long long> fibonacci(int n) {\n    std::vector<long long> sequence;\n'
               '    long long a = 0, b = 1;\n    for (int i = 0; i < n; ++i) {\n        sequence.push_back(a);\n'
               '        long long next = a + b;\n        a = b;\n        b = next;\n    }\n    return sequence;\n}',
        "csharp": 'public static List<long> Fibonacci(int n)\n{\n    var sequence = new List<long>();\n'
                  '    long a = 0, b = 1;\n    for (var i = 0; i < n; i++)\n    {\n        sequence.Add(a);\n'
                  '        (a, b) = (b, a + b);\n    }\n    return sequence;\n}',
        "ruby": 'def fibonacci(n)\n  sequence = []\n  a, b = 0, 1\n  n.times do\n    sequence << a\n'
                '    a, b = b, a + b\n  end\n  sequence\nend',
        "php": '<?php\n\nfunction fibonacci(int $n): array\n{\n    $sequence = [];\n    [$a, $b] = [0, 1];\n'
               '    for ($i = 0; $i < $n; $i++) {\n        $sequence[] = $a;\n        [$a, $b] = [$b, $a + $b];\n'
               '    }\n    return $sequence;\n}',
        "kotlin": 'fun fibonacci(n: Int): List<Long> {\n    val sequence = mutableListOf<Long>()\n'
                  '    var a = 0L\n    var b = 1L\n    repeat(n) {\n        sequence.add(a)\n'
                  '        val next = a + b\n        a = b\n        b = next\n    }\n    return sequence\n}',
        "swift": 'func fibonacci(_ n: Int) -> [Int] {\n    var sequence: [Int] = []\n    var (a, b) = (0, 1)\n'
                 '    for _ in 0..<n {\n        sequence.append(a)\n        (a, b) = (b, a + b)\n    }\n'
                 '    return sequence\n}',
        "bash": '#!/usr/bin/env bash\n\nfibonacci() {\n    local n="$1" a=0 b=1 i\n    for (( i=0; i<n; i++ )); do\n'
                '        echo "$a"\n        (( b = a + b, a = b - a ))\n    done\n}\n\nfibonacci 10',
    },
    "factorial": {
        "python": 'def factorial(n: int) -> int:\n    """Return n! for a non-negative integer n."""\n    if n < 0:\n'
                  '        raise ValueError("n must be non-negative")\n    result = 1\n    for i in range(2, n + 1):\n'
                  '        result *= i\n    return result\n\n\nprint(factorial(5))  # 120',
        "javascript": 'function factorial(n) {\n  if (n < 0) throw new RangeError("n must be non-negative");\n'
                      '  let result = 1;\n  for (let i = 2; i <= n; i++) result *= i;\n  return result;\n}',
        "typescript": 'function factorial(n: number): number {\n  if (n < 0) throw new RangeError("n must be non-negative");\n'
                      '  let result = 1;\n  for (let i = 2; i <= n; i++) result *= i;\n  return result;\n}',
        "java": 'public class MathUtils {\n    public static long factorial(int n) {\n'
                '        if (n < 0) throw new IllegalArgumentException("n must be non-negative");\n'
                '        long result = 1;\n        for (int i = 2; i <= n; i++) {\n            result *= i;\n'
                '        }\n        return result;\n    }\n}',
        "go": 'func factorial(n int) int {\n\tresult := 1\n\tfor i := 2; i <= n; i++ {\n\t\tresult *= i\n\t}\n'
              '\treturn result\n}',
        "rust": 'fn factorial(n: u64) -> u64 {\n    (1..=n).product()\n}',
        "c": 'unsigned long long factorial(unsigned int n) {\n    unsigned long long result = 1;\n'
             '    for (unsigned int i = 2; i <= n; i++) {\n        result *= i;\n    }\n    return result;\n}',
        "cpp": 'unsigned long long factorial(unsigned int n) {\n    return n <= 1 ? 1 : n * factorial(n - 1);\n}',
        "csharp": 'public static long Factorial(int n)\n{\n    long result = 1;\n    for (var i = 2; i <= n; i++)\n'
                  '    {\n        result *= i;\n    }\n    return result;\n}',
        "ruby": 'def factorial(n)\n  (1..n).reduce(1, :*)\nend',
        "php": '<?php\n\nfunction factorial(int $n): int\n{\n    return $n <= 1 ? 1 : $n * factorial($n - 1);\n}',
        "kotlin": 'fun factorial(n: Int): Long = (2..n).fold(1L) { acc, i -> acc * i }',
        "swift": 'func factorial(_ n: Int) -> Int {\n    return n <= 1 ? 1 : (2...n).reduce(1, *)\n}',
        "bash": '#!/usr/bin/env bash\n\nfactorial() {\n    local n="$1" result=1 i\n    for (( i=2; i<=n; i++ )); do\n'
                '        (( result *= i ))\n    done\n    echo "$result"\n}\n\nfactorial 5  # 120',
    },
    "prime": {
        "python": 'def is_prime(n: int) -> bool:\n    """Return True if n is a prime number."""\n    if n < 2:\n'
                  '        return False\n    i = 2\n    while i * i <= n:\n        if n % i == 0:\n'
                  '            return False\n        i += 1\n    return True\n\n\nprint([n for n in range(20) if is_prime(n)])',
        "javascript": 'function isPrime(n) {\n  if (n < 2) return false;\n  for (let i = 2; i * i <= n; i++) {\n'
                      '    if (n % i === 0) return false;\n  }\n  return true;\n}',
        "typescript": 'function isPrime(n: number): boolean {\n  if (n < 2) return false;\n'
                      '  for (let i = 2; i * i <= n; i++) {\n    if (n % i === 0) return false;\n  }\n  return true;\n}',
        "java": 'public class Primes {\n    public static boolean isPrime(int n) {\n        if (n < 2) return false;\n'
                '        for (int i = 2; (long) i * i <= n; i++) {\n            if (n % i == 0) return false;\n'
                '        }\n        return true;\n    }\n}',
        "go": 'func isPrime(n int) bool {\n\tif n < 2 {\n\t\treturn false\n\t}\n\tfor i := 2; i*i <= n; i++ {\n'
              '\t\tif n%i == 0 {\n\t\t\treturn false\n\t\t}\n\t}\n\treturn true\n}',
        "rust": 'fn is_prime(n: u64) -> bool {\n    if n < 2 {\n        return false;\n    }\n'
                '    (2..).take_while(|i| i * i <= n).all(|i| n % i != 0)\n}',
        "c": '#include <stdbool.h>\n\nbool is_prime(int n) {\n    if (n < 2) return false;\n'
             '    for (int i = 2; i * i <= n; i++) {\n        if (n % i == 0) return false;\n    }\n    return true;\n}',
        "cpp": 'bool is_prime(int n) {\n    if (n < 2) return false;\n    for (int i = 2; i * i <= n; ++i) {\n'
               '        if (n % i == 0) return false;\n    }\n    return true;\n}',
        "csharp": 'public static bool IsPrime(int n)\n{\n    if (n < 2) return false;\n    for (var i = 2; i * i <= n; i++)\n'
                  '    {\n        if (n % i == 0) return false;\n    }\n    return true;\n}',
        "ruby": 'def prime?(n)\n  return false if n < 2\n\n  (2..Math.sqrt(n)).none? { |i| (n % i).zero? }\nend',
        "php": '<?php\n\nfunction isPrime(int $n): bool\n{\n    if ($n < 2) {\n        return false;\n    }\n'
               '    for ($i = 2; $i * $i <= $n; $i++) {\n        if ($n % $i === 0) {\n            return false;\n'
               '        }\n    }\n    return true;\n}',
        "kotlin": 'fun isPrime(n: Int): Boolean {\n    if (n < 2) return false\n'
                  '    return (2..Math.sqrt(n.toDouble()).toInt()).none { n % it == 0 }\n}',
        "swift": 'func isPrime(_ n: Int) -> Bool {\n    guard n >= 2 else { return false }\n    var i = 2\n'
                 '    while i * i <= n {\n        if n % i == 0 { return false }\n        i += 1\n    }\n    return true\n}',
        "bash": '#!/usr/bin/env bash\n\nis_prime() {\n    local n="$1" i\n    (( n < 2 )) && return 1\n'
                '    for (( i=2; i*i<=n; i++ )); do\n        (( n % i == 0 )) && return 1\n    done\n    return 0\n}\n\n'
                'is_prime 17 && echo "17 is prime"',
    },
    "sort": {
        "python": 'def sort_numbers(values: list[float], descending: bool = False) -> list[float]:\n'
                  '    """Return a new list with the values sorted."""\n    return sorted(values, reverse=descending)\n\n\n'
                  'print(sort_numbers([5, 2, 9, 1]))  # [1, 2, 5, 9]',
        "javascript": 'function sortNumbers(values) {\n  return [...values].sort((a, b) => a - b);\n}\n\n'
                      'console.log(sortNumbers([5, 2, 9, 1])); // [1, 2, 5, 9]',
        "typescript": 'function sortNumbers(values: number[]): number[] {\n  return [...values].sort((a, b) => a - b);\n}',
        "java": 'import java.util.ArrayList;\nimport java.util.Collections;\nimport java.util.List;\n\n'
                'public class Sorting {\n    public static List<Integer> sortNumbers(List<Integer> values) {\n'
                '        List<Integer> sorted = new ArrayList<>(values);\n        Collections.sort(sorted);\n'
                '        return sorted;\n    }\n}',
        "go": 'import "sort"\n\nfunc sortNumbers(values []int) []int {\n\tsorted := append([]int(nil), values...)\n'
              '\tsort.Ints(sorted)\n\treturn sorted\n}',
        "rust": 'fn sort_numbers(values: &[i32]) -> Vec<i32> {\n    let mut sorted = values.to_vec();\n'
                '    sorted.sort();\n    sorted\n}',
        "c": '#include <stdlib.h>\n\nstatic int compare_ints(const void *a, const void *b) {\n'
             '    int x = *(const int *)a, y = *(const int *)b;\n    return (x > y) - (x < y);\n}\n\n'
             'void sort_numbers(int *values, size_t count) {\n    qsort(values, count, sizeof(int), compare_ints);\n}',
        "cpp": '#include <algorithm>\n#include <vector>\n\nstd::vector<int> sort_numbers(std::vector<int> values) {\n'
               '    std::sort(values.begin(), values.end());\n    return values;\n}',
        "csharp": 'public static List<int> SortNumbers(IEnumerable<int> values)\n{\n'
                  '    return values.OrderBy(v => v).ToList();\n}',
        "ruby": 'def sort_numbers(values)\n  values.sort\nend\n\np sort_numbers([5, 2, 9, 1]) # => [1, 2, 5, 9]',
        "php": '<?php\n\nfunction sortNumbers(array $values): array\n{\n    sort($values);\n    return $values;\n}',
        "kotlin": 'fun sortNumbers(values: List<Int>): List<Int> = values.sorted()',
        "swift": 'func sortNumbers(_ values: [Int]) -> [Int] {\n    return values.sorted()\n}',
        "bash": '#!/usr/bin/env bash\n\nsort_numbers() {\n    printf "%s\\n" "$@" | sort -n\n}\n\nsort_numbers 5 2 9 1',
    },
    "binary_search": {
        "python": 'def binary_search(items: list[int], target: int) -> int:\n'
                  '    """Return the index of target in the sorted list items, or -1."""\n'
                  '    low, high = 0, len(items) - 1\n    while low <= high:\n        mid = (low + high) // 2\n'
                  '        if items[mid] == target:\n            return mid\n        if items[mid] < target:\n'
                  '            low = mid + 1\n        else:\n            high = mid - 1\n    return -1',
        "javascript": 'function binarySearch(items, target) {\n  let low = 0;\n  let high = items.length - 1;\n'
                      '  while (low <= high) {\n    const mid = Math.floor((low + high) / 2);\n'
                      '    if (items[mid] === target) return mid;\n    if (items[mid] < target) low = mid + 1;\n'
                      '    else high = mid - 1;\n  }\n  return -1;\n}',
        "typescript": 'function binarySearch(items: number[], target: number): number {\n  let low = 0;\n'
                      '  let high = items.length - 1;\n  while (low <= high) {\n'
                      '    const mid = Math.floor((low + high) / 2);\n    if (items[mid] === target) return mid;\n'
                      '    if (items[mid] < target) low = mid + 1;\n    else high = mid - 1;\n  }\n  return -1;\n}',
        "java": 'public class Search {\n    public static int binarySearch(int[] items, int target) {\n'
                '        int low = 0, high = items.length - 1;\n        while (low <= high) {\n'
                '            int mid = low + (high - low) / 2;\n            if (items[mid] == target) return mid;\n'
                '            if (items[mid] < target) low = mid + 1;\n            else high = mid - 1;\n        }\n'
                '        return -1;\n    }\n}',
        "go": 'func binarySearch(items []int, target int) int {\n\tlow, high := 0, len(items)-1\n'
              '\tfor low <= high {\n\t\tmid := low + (high-low)/2\n\t\tswitch {\n\t\tcase items[mid] == target:\n'
              '\t\t\treturn mid\n\t\tcase items[mid] < target:\n\t\t\tlow = mid + 1\n\t\tdefault:\n'
              '\t\t\thigh = mid - 1\n\t\t}\n\t}\n\treturn -1\n}',
        "rust": 'fn binary_search(items: &[i32], target: i32) -> Option<usize> {\n'
                '    let (mut low, mut high) = (0usize, items.len());\n    while low < high {\n'
                '        let mid = low + (high - low) / 2;\n        match items[mid].cmp(&target) {\n'
                '            std::cmp::Ordering::Equal => return Some(mid),\n'
                '            std::cmp::Ordering::Less => low = mid + 1,\n'
                '            std::cmp::Ordering::Greater => high = mid,\n        }\n    }\n    None\n}',
        "c": 'int binary_search(const int *items, int count, int target) {\n    int low = 0, high = count - 1;\n'
             '    while (low <= high) {\n        int mid = low + (high - low) / 2;\n'
             '        if (items[mid] == target) return mid;\n        if (items[mid] < target) low = mid + 1;\n'
             '        else high = mid - 1;\n    }\n    return -1;\n}',
        "cpp": '#include <vector>\n\nint binary_search(const std::vector<int>& items, int target) {\n'
               '    int low = 0, high = static_cast<int>(items.size()) - 1;\n    while (low <= high) {\n'
               '        int mid = low + (high - low) / 2;\n        if (items[mid] == target) return mid;\n'
               '        if (items[mid] < target) low = mid + 1;\n        else high = mid - 1;\n    }\n    return -1;\n}',
        "csharp": 'public static int BinarySearch(int[] items, int target)\n{\n    int low = 0, high = items.Length - 1;\n'
                  '    while (low <= high)\n    {\n        int mid = low + (high - low) / 2;\n'
                  '        if (items[mid] == target) return mid;\n        if (items[mid] < target) low = mid + 1;\n'
                  '        else high = mid - 1;\n    }\n    return -1;\n}',
        "ruby": 'def binary_search(items, target)\n  low, high = 0, items.length - 1\n  while low <= high\n'
                '    mid = (low + high) / 2\n    return mid if items[mid] == target\n\n'
                '    items[mid] < target ? low = mid + 1 : high = mid - 1\n  end\n  -1\nend',
        "php": '<?php\n\nfunction binarySearch(array $items, int $target): int\n{\n    $low = 0;\n'
               '    $high = count($items) - 1;\n    while ($low <= $high) {\n        $mid = intdiv($low + $high, 2);\n'
               '        if ($items[$mid] === $target) {\n            return $mid;\n        }\n'
               '        if ($items[$mid] < $target) {\n            $low = $mid + 1;\n        } else {\n'
               '            $high = $mid - 1;\n        }\n    }\n    return -1;\n}',
        "kotlin": 'fun binarySearch(items: List<Int>, target: Int): Int {\n    var low = 0\n'
                  '    var high = items.size - 1\n    while (low <= high) {\n        val mid = (low + high) ushr 1\n'
                  '        when {\n            items[mid] == target -> return mid\n'
                  '            items[mid] < target -> low = mid + 1\n            else -> high = mid - 1\n        }\n'
                  '    }\n    return -1\n}',
        "swift": 'func binarySearch(_ items: [Int], _ target: Int) -> Int? {\n    var low = 0\n'
                 '    var high = items.count - 1\n    while low <= high {\n        let mid = (low + high) / 2\n'
                 '        if items[mid] == target { return mid }\n        if items[mid] < target {\n'
                 '            low = mid + 1\n        } else {\n            high = mid - 1\n        }\n    }\n'
                 '    return nil\n}',
    },
    "hello": {
        "python": 'def main() -> None:\n    print("Hello, world!")\n\n\nif __name__ == "__main__":\n    main()',
        "javascript": 'console.log("Hello, world!");',
        "typescript": 'const greeting: string = "Hello, world!";\nconsole.log(greeting);',
        "java": 'public class HelloWorld {\n    public static void main(String[] args) {\n'
                '        System.out.println("Hello, world!");\n    }\n}',
        "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("Hello, world!")\n}',
        "rust": 'fn main() {\n    println!("Hello, world!");\n}',
        "c": '#include <stdio.h>\n\nint main(void) {\n    printf("Hello, world!\\n");\n    return 0;\n}',
        "cpp": '#include <iostream>\n\nint main() {\n    std::cout << "Hello, world!" << std::endl;\n    return 0;\n}',
        "csharp": 'using System;\n\nclass Program\n{\n    static void Main()\n    {\n'
                  '        Console.WriteLine("Hello, world!");\n    }\n}',
        "ruby": 'puts "Hello, world!"',
        "php": '<?php\n\necho "Hello, world!\\n";',
        "kotlin": 'fun main() {\n    println("Hello, world!")\n}',
        "swift": 'print("Hello, world!")',
        "bash": '#!/usr/bin/env bash\n\necho "Hello, world!"',
        "html": '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n  <title>Hello</title>\n'
                '</head>\n<body>\n  <h1>Hello, world!</h1>\n</body>\n</html>',
        "sql": "SELECT 'Hello, world!' AS greeting;",
    },
    "sum": {
        "python": 'def sum_list(numbers: list[float]) -> float:\n    """Return the sum of all numbers in the list."""\n'
                  '    total = 0\n    for number in numbers:\n        total += number\n    return total\n\n\n'
                  'print(sum_list([1, 2, 3, 4]))  # 10',
        "javascript": 'function sumList(numbers) {\n  return numbers.reduce((total, n) => total + n, 0);\n}\n\n'
                      'console.log(sumList([1, 2, 3, 4])); // 10',
        "typescript": 'function sumList(numbers: number[]): number {\n  return numbers.reduce((total, n) => total + n, 0);\n}',
        "java": 'import java.util.List;\n\npublic class Sums {\n    public static int sumList(List<Integer> numbers) {\n'
                '        return numbers.stream().mapToInt(Integer::intValue).sum();\n    }\n}',
        "go": 'func sumList(numbers []int) int {\n\ttotal := 0\n\tfor _, n := range numbers {\n\t\ttotal += n\n\t}\n'
              '\treturn total\n}',
        "rust": 'fn sum_list(numbers: &[i64]) -> i64 {\n    numbers.iter().sum()\n}',
        "c": 'long sum_list(const int *numbers, size_t count) {\n    long total = 0;\n'
             '    for (size_t i = 0; i < count; i++) {\n        total += numbers[i];\n    }\n    return total;\n}',
        "cpp": '#include <numeric>\n#include <vector>\n\nlong long sum_list(const std::vector<int>& numbers) {\n'
               '    return std::accumulate(numbers.begin(), numbers.end(), 0LL);\n}',
        "csharp": 'public static int SumList(IEnumerable<int> numbers)\n{\n    return numbers.Sum();\n}',
        "ruby": 'def sum_list(numbers)\n  numbers.sum\nend',
        "php": '<?php\n\nfunction sumList(array $numbers): float\n{\n    return array_sum($numbers);\n}',
        "kotlin": 'fun sumList(numbers: List<Int>): Int = numbers.sum()',
        "swift": 'func sumList(_ numbers: [Int]) -> Int {\n    return numbers.reduce(0, +)\n}',
        "bash": '#!/usr/bin/env bash\n\nsum_list() {\n    local total=0 n\n    for n in "$@"; do\n'
                '        (( total += n ))\n    done\n    echo "$total"\n}\n\nsum_list 1 2 3 4  # 10',
    },
    "palindrome": {
        "python": 'def is_palindrome(text: str) -> bool:\n    """Return True if text reads the same forwards and backwards."""\n'
                  '    cleaned = [c.lower() for c in text if c.isalnum()]\n    return cleaned == cleaned[::-1]\n\n\n'
                  'print(is_palindrome("A man, a plan, a canal: Panama"))  # True',
        "javascript": 'function isPalindrome(text) {\n  const cleaned = text.toLowerCase().replace(/[^a-z0-9]/g, "");\n'
                      '  return cleaned === [...cleaned].reverse().join("");\n}',
        "typescript": 'function isPalindrome(text: string): boolean {\n'
                      '  const cleaned = text.toLowerCase().replace(/[^a-z0-9]/g, "");\n'
                      '  return cleaned === [...cleaned].reverse().join("");\n}',
        "java": 'public class Palindromes {\n    public static boolean isPalindrome(String text) {\n'
                '        String cleaned = text.toLowerCase().replaceAll("[^a-z0-9]", "");\n'
                '        return new StringBuilder(cleaned).reverse().toString().equals(cleaned);\n    }\n}',
        "go": 'import (\n\t"strings"\n\t"unicode"\n)\n\nfunc isPalindrome(text string) bool {\n\tvar cleaned []rune\n'
              '\tfor _, r := range strings.ToLower(text) {\n\t\tif unicode.IsLetter(r) || unicode.IsDigit(r) {\n'
              '\t\t\tcleaned = append(cleaned, r)\n\t\t}\n\t}\n\tfor i, j := 0, len(cleaned)-1; i < j; i, j = i+1, j-1 {\n'
              '\t\tif cleaned[i] != cleaned[j] {\n\t\t\treturn false\n\t\t}\n\t}\n\treturn true\n}',
        "rust": 'fn is_palindrome(text: &str) -> bool {\n    let cleaned: Vec<char> = text\n        .chars()\n'
                '        .filter(|c| c.is_alphanumeric())\n        .map(|c| c.to_ascii_lowercase())\n        .collect();\n'
                '    cleaned.iter().eq(cleaned.iter().rev())\n}',
        "c": '#include <ctype.h>\n#include <stdbool.h>\n#include <string.h>\n\nbool is_palindrome(const char *text) {\n'
             '    size_t i = 0, j = strlen(text);\n    while (i < j) {\n'
             '        if (!isalnum((unsigned char)text[i])) { i++; continue; }\n'
             '        if (!isalnum((unsigned char)text[j - 1])) { j--; continue; }\n'
             '        if (tolower((unsigned char)text[i]) != tolower((unsigned char)text[j - 1])) return false;\n'
             '        i++;\n        j--;\n    }\n    return true;\n}',
        "cpp": '#include <algorithm>\n#include <cctype>\n#include <string>\n\nbool is_palindrome(const std::string& text) {\n'
               '    std::string cleaned;\n    for (unsigned char c : text) {\n'
               '        if (std::isalnum(c)) cleaned += static_cast<char>(std::tolower(c));\n    }\n'
               '    return std::equal(cleaned.begin(), cleaned.begin() + cleaned.size() / 2, cleaned.rbegin());\n}',
        "csharp": 'public static bool IsPalindrome(string text)\n{\n'
                  '    var cleaned = new string(text.Where(char.IsLetterOrDigit).Select(char.ToLower).ToArray());\n'
                  '    return cleaned.SequenceEqual(cleaned.Reverse());\n}',
        "ruby": 'def palindrome?(text)\n  cleaned = text.downcase.gsub(/[^a-z0-9]/, "")\n  cleaned == cleaned.reverse\nend',
        "php": '<?php\n\nfunction isPalindrome(string $text): bool\n{\n'
               '    $cleaned = preg_replace("/[^a-z0-9]/", "", strtolower($text));\n    return $cleaned === strrev($cleaned);\n}',
        "kotlin": 'fun isPalindrome(text: String): Boolean {\n'
                  '    val cleaned = text.lowercase().filter { it.isLetterOrDigit() }\n    return cleaned == cleaned.reversed()\n}',
        "swift": 'func isPalindrome(_ text: String) -> Bool {\n'
                 '    let cleaned = text.lowercased().filter { $0.isLetter || $0.isNumber }\n'
                 '    return cleaned == String(cleaned.reversed())\n}',
        "bash": '#!/usr/bin/env bash\n\nis_palindrome() {\n'
                '    local cleaned\n    cleaned="$(echo "$1" | tr -cd "[:alnum:]" | tr "[:upper:]" "[:lower:]")"\n'
                '    [[ "$cleaned" == "$(echo "$cleaned" | rev)" ]]\n}\n\nis_palindrome "Racecar" && echo "palindrome"',
    },
}
