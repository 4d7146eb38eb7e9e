"""Code templates for everyday scripts (files, HTTP, word counts, backups): task -> {language: source}."""

SCRIPTS: dict[str, dict[str, str]] = {
    "read_file": {
        "python": 'from pathlib import Path\n\n\ndef read_file(path: str) -> str:\n'
                  '    """Return the whole text content of the file at path."""\n'
                  '    return Path(path).read_text(encoding="utf-8")\n\n\nfor line in read_file("notes.txt").splitlines():\n'
                  '    print(line)',
        "javascript": 'const fs = require("fs/promises");\n\nasync function readFile(path) {\n'
                      '  return fs.readFile(path, "utf8");\n}\n\nreadFile("notes.txt").then(console.log);',
        "typescript": 'import { readFile } from "fs/promises";\n\nasync function readTextFile(path: string): Promise<string> {\n'
                      '  return readFile(path, "utf8");\n}',
        "java": 'import java.io.IOException;\nimport java.nio.file.Files;\nimport java.nio.file.Path;\n\n'
                'public class FileReader {\n    public static String readFile(String path) throws IOException {\n'
                '        return Files.readString(Path.of(path));\n    }\n}',
        "go": 'import "os"\n\nfunc readFile(path string) (string, error) {\n\tdata, err := os.ReadFile(path)\n'
              '\tif err != nil {\n\t\treturn "", err\n\t}\n\treturn string(data), nil\n}',
        "rust": 'use std::fs;\nuse std::io;\n\nfn read_file(path: &str) -> io::Result<String> {\n'
                '    fs::read_to_string(path)\n}',
        "c": '#include <stdio.h>\n\nint print_file(const char *path) {\n    FILE *file = fopen(path, "r");\n'
             '    if (file == NULL) return -1;\n    char line[1024];\n    while (fgets(line, sizeof line, file)) {\n'
             '        fputs(line, stdout);\n    }\n    fclose(file);\n    return 0;\n}',
        "cpp": '#include <fstream>\n#include <sstream>\n#include <string>\n\nstd::string read_file(const std::string& path) {\n'
               '    std::ifstream file(path);\n    std::stringstream buffer;\n    buffer << file.rdbuf();\n'
               '    return buffer.str();\n}',
        "csharp": 'public static string ReadFile(string path)\n{\n    return File.ReadAllText(path);\n}',
        "ruby": 'def read_file(path)\n  File.read(path)\nend\n\nputs read_file("notes.txt")',
        "php": '<?php\n\nfunction readTextFile(string $path): string\n{\n    $contents = file_get_contents($path);\n'
               '    if ($contents === false) {\n        throw new RuntimeException("Cannot read $path");\n    }\n'
               '    return $contents;\n}',
        "kotlin": 'import java.io.File\n\nfun readFile(path: String): String = File(path).readText()',
        "swift": 'import Foundation\n\nfunc readFile(atPath path: String) throws -> String {\n'
                 '    return try String(contentsOfFile: path, encoding: .utf8)\n}',
        "bash": '#!/usr/bin/env bash\n\nread_file() {\n    local path="$1" line\n'
                '    while IFS= read -r line; do\n        echo "$line"\n    done < "$path"\n}\n\nread_file notes.txt',
    },
    "http": {
        "python": 'import json\nimport urllib.request\n\n\ndef fetch_json(url: str) -> dict:\n'
                  '    """GET url and decode the JSON response body."""\n'
                  '    with urllib.request.urlopen(url, timeout=10) as response:\n        return json.load(response)\n\n\n'
                  'print(fetch_json("https://api.example.com/items"))',
        "javascript": 'async function fetchJson(url) {\n  const response = await fetch(url);\n  if (!response.ok) {\n'
                      '    throw new Error(`Request failed with status ${response.status}`);\n  }\n'
                      '  return response.json();\n}',
        "typescript": 'async function fetchJson<T>(url: string): Promise<T> {\n  const response = await fetch(url);\n'
                      '  if (!response.ok) {\n    throw new Error(`Request failed with status ${response.status}`);\n'
                      '  }\n  return (await response.json()) as T;\n}',
        "java": 'import java.net.URI;\nimport java.net.http.HttpClient;\nimport java.net.http.HttpRequest;\n'
                'import java.net.http.HttpResponse;\n\npublic class Fetcher {\n'
                '    public static String fetch(String url) throws Exception {\n'
                '        HttpClient client = HttpClient.newHttpClient();\n'
                '        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();\n'
                '        return client.send(request, HttpResponse.BodyHandlers.ofString()).body();\n    }\n}',
        "go": 'import (\n\t"io"\n\t"net/http"\n)\n\nfunc fetch(url string) (string, error) {\n'
              '\tresp, err := http.Get(url)\n\tif err != nil {\n\t\treturn "", err\n\t}\n\tdefer resp.Body.Close()\n'
              '\tbody, err := io.ReadAll(resp.Body)\n\treturn string(body), err\n}',
        "rust": '// Cargo.toml: reqwest = { version = "0.12", features = ["blocking"] }\n'
                'fn fetch(url: &str) -> Result<String, reqwest::Error> {\n'
                '    reqwest::blocking::get(url)?.text()\n}',
        "c": '#include <curl/curl.h>\n\nint fetch(const char *url) {\n    CURL *curl = curl_easy_init();\n'
             '    if (curl == NULL) return -1;\n    curl_easy_setopt(curl, CURLOPT_URL, url);\n'
             '    CURLcode result = curl_easy_perform(curl);\n    curl_easy_cleanup(curl);\n'
             '    return result == CURLE_OK ? 0 : -1;\n}',
        "cpp": '#include <curl/curl.h>\n#include <string>\n\nstatic size_t append(char *data, size_t size, size_t count, void *out) {\n'
               '    static_cast<std::string *>(out)->append(data, size * count);\n    return size * count;\n}\n\n'
               'std::string fetch(const std::string& url) {\n    std::string body;\n    CURL *curl = curl_easy_init();\n'
               '    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());\n'
               '    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);\n'
               '    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);\n    curl_easy_perform(curl);\n'
               '    curl_easy_cleanup(curl);\n    return body;\n}',
        "csharp": 'private static readonly HttpClient Client = new();\n\npublic static async Task<string> FetchAsync(string url)\n'
                  '{\n    var response = await Client.GetAsync(url);\n    response.EnsureSuccessStatusCode();\n'
                  '    return await response.Content.ReadAsStringAsync();\n}',
        "ruby": 'require "net/http"\nrequire "json"\n\ndef fetch_json(url)\n  response = Net::HTTP.get_response(URI(url))\n'
                '  raise "Request failed: #{response.code}" unless response.is_a?(Net::HTTPSuccess)\n\n'
                '  JSON.parse(response.body)\nend',
        "php": '<?php\n\nfunction fetchJson(string $url): array\n{\n    $body = file_get_contents($url);\n'
               '    if ($body === false) {\n        throw new RuntimeException("Request to $url failed");\n    }\n'
               '    return json_decode($body, true, 512, JSON_THROW_ON_ERROR);\n}',
        "kotlin": 'import java.net.URL\n\nfun fetch(url: String): String = URL(url).readText()',
        "swift": 'import Foundation\n\nfunc fetch(_ url: URL) async throws -> Data {\n'
                 '    let (data, _) = try await URLSession.shared.data(from: url)\n    return data\n}',
        "bash": '#!/usr/bin/env bash\nset -euo pipefail\n\nurl="${1:-https://api.example.com/items}"\n'
                'curl --fail --silent --show-error "$url"',
    },
    "count_words": {
        "python": 'from collections import Counter\n\n\ndef count_words(text: str) -> Counter[str]:\n'
                  '    """Count how often each word appears in text, ignoring case."""\n'
                  '    return Counter(text.lower().split())\n\n\nprint(count_words("the cat and the hat").most_common(2))',
        "javascript": 'function countWords(text) {\n  const counts = new Map();\n'
                      '  for (const word of text.toLowerCase().split(/\\s+/).filter(Boolean)) {\n'
                      '    counts.set(word, (counts.get(word) ?? 0) + 1);\n  }\n  return counts;\n}',
        "typescript": 'function countWords(text: string): Map<string, number> {\n  const counts = new Map<string, number>();\n'
                      '  for (const word of text.toLowerCase().split(/\\s+/).filter(Boolean)) {\n'
                      '    counts.set(word, (counts.get(word) ?? 0) + 1);\n  }\n  return counts;\n}',
        "java": 'import java.util.HashMap;\nimport java.util.Map;\n\npublic class WordCounter {\n'
                '    public static Map<String, Integer> countWords(String text) {\n'
                '        Map<String, Integer> counts = new HashMap<>();\n'
                '        for (String word : text.toLowerCase().split("\\\\s+")) {\n'
                '            if (!word.isEmpty()) counts.merge(word, 1, Integer::sum);\n        }\n'
                '        return counts;\n    }\n}',
        "go": 'import "strings"\n\nfunc countWords(text string) map[string]int {\n\tcounts := make(map[string]int)\n'
              '\tfor _, word := range strings.Fields(strings.ToLower(text)) {\n\t\tcounts[word]++\n\t}\n'
              '\treturn counts\n}',
        "rust": 'use std::collections::HashMap;\n\nfn count_words(text: &str) -> HashMap<String, usize> {\n'
                '    let mut counts = HashMap::new();\n    for word in text.split_whitespace() {\n'
                '        *counts.entry(word.to_lowercase()).or_insert(0) += 1;\n    }\n    counts\n}',
        "cpp": '#include <map>\n#include <sstream>\n#include <string>\n\n'
               'std::map<std::string, int> count_words(const std::string& text) {\n'
               '    std::map<std::string, int> counts;\n    std::istringstream stream(text);\n    std::string word;\n'
               '    while (stream >> word) {\n        ++counts[word];\n    }\n    return counts;\n}',
        "csharp": 'public static Dictionary<string, int> CountWords(string text)\n{\n'
                  '    return text.ToLowerInvariant()\n'
                  '        .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)\n'
                  '        .GroupBy(word => word)\n        .ToDictionary(group => group.Key, group => group.Count());\n}',
        "ruby": 'def count_words(text)\n  text.downcase.split.tally\nend',
        "php": '<?php\n\nfunction countWords(string $text): array\n{\n'
               '    return array_count_values(str_word_count(strtolower($text), 1));\n}',
        "kotlin": 'fun countWords(text: String): Map<String, Int> =\n'
                  '    text.lowercase().split(Regex("\\\\s+")).filter { it.isNotEmpty() }.groupingBy { it }.eachCount()',
        "swift": 'func countWords(_ text: String) -> [String: Int] {\n    var counts: [String: Int] = [:]\n'
                 '    for word in text.lowercased().split(whereSeparator: { $0.isWhitespace }) {\n'
                 '        counts[String(word), default: 0] += 1\n    }\n    return counts\n}',
        "bash": '#!/usr/bin/env bash\n\ncount_words() {\n    tr -s "[:space:]" "\\n" < "$1" | tr "[:upper:]" "[:lower:]" \\\n'
                '        | sort | uniq -c | sort -rn\n}\n\ncount_words notes.txt',
    },
    "backup": {
        "bash": '#!/usr/bin/env bash\nset -euo pipefail\n\nsource_dir="${1:?usage: backup.sh SOURCE_DIR [DEST_DIR]}"\n'
                'dest_dir="${2:-$HOME/backups}"\ntimestamp="$(date +%Y%m%d-%H%M%S)"\narchive="$dest_dir/$(basename "$source_dir")-$timestamp.tar.gz"\n\n'
                'mkdir -p "$dest_dir"\ntar -czf "$archive" -C "$(dirname "$source_dir")" "$(basename "$source_dir")"\n'
                'echo "Backup written to $archive"',
        "python": 'import shutil\nfrom datetime import datetime\nfrom pathlib import Path\n\n\n'
                  'def backup_folder(source: str, destination: str = "backups") -> Path:\n'
                  '    """Write a timestamped .tar.gz archive of source into destination."""\n'
                  '    Path(destination).mkdir(parents=True, exist_ok=True)\n'
                  '    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")\n'
                  '    base = Path(destination) / f"{Path(source).name}-{stamp}"\n'
                  '    return Path(shutil.make_archive(str(base), "gztar", root_dir=source))',
    },
}
