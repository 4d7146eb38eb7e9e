// Runs the official Node SDK against the server named by OPENAI_BASE_URL / OPENAI_API_KEY and prints one
// JSON line per check: {"check": name, "ok": bool, ...details}. tests/test_node_sdk.py asserts on them.
import OpenAI, { toFile } from "openai";

const client = new OpenAI({ maxRetries: 0 });
const checks = {
  async models() {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    return { ok: ids.includes("gpt-4o-mini"), count: ids.length };
  },
  async chat() {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello from Node" }],
    });
    const choice = completion.choices[0];
    return { ok: choice.finish_reason === "stop" && choice.message.content.length > 0,
             requestId: completion._request_id, usage: completion.usage };
  },
  async chatStream() {
    const stream = await client.chat.completions.create({
      model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true },
      messages: [{ role: "user", content: "Tell me a story" }],
    });
    let text = "", usage = null, chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      if (chunk.choices.length) text += chunk.choices[0].delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    return { ok: text.length > 0 && usage !== null && usage.total_tokens > 0, chunks, text };
  },
  async embeddings() {
    const response = await client.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
    const vector = response.data[0].embedding;
    const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
    return { ok: response.data.length === 2 && vector.length === 1536 && Math.abs(norm - 1) < 1e-4,
             dims: vector.length, norm };
  },
  async tools() {
    const completion = await client.chat.completions.create({
      model: "gpt-4o-mini", messages: [{ role: "user", content: "What's the weather in Paris?" }],
      tools: [{ type: "function", function: { name: "get_weather", description: "Current weather for a city",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } } }],
    });
    const call = completion.choices[0].message.tool_calls?.[0];
    const args = call ? JSON.parse(call.function.arguments) : {};
    return { ok: completion.choices[0].finish_reason === "tool_calls" && call.function.name === "get_weather" &&
             typeof args.city === "string", args };
  },
  async responsesStream() {
    const stream = client.responses.stream({ model: "gpt-4o-mini", input: "Say hello" });
    const types = [];
    stream.on("event", (event) => types.push(event.type));
    const final = await stream.finalResponse();
    return { ok: final.status === "completed" && final.output_text.length > 0 &&
             types[0] === "response.created" && types.at(-1) === "response.completed", events: types.length };
  },
  async images() {
    const image = await client.images.generate({ model: "gpt-image-1", prompt: "a red fox", quality: "low" });
    const png = Buffer.from(image.data[0].b64_json, "base64");
    return { ok: png.subarray(1, 4).toString() === "PNG" && image.size === "1024x1024" && image.usage.total_tokens > 0,
             size: image.size };
  },
  async imageEdit() {
    // An 8x8 transparent PNG, uploaded twice as image[] (the Node SDK's multipart, undici's boundary).
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAYAAADED76LAAAAD0lEQVR4nGNgGAUMDAwMAAEIAAGRKR9tAAAAAElFTkSuQmCC", "base64");
    const edit = await client.images.edit({
      model: "gpt-image-1", prompt: "add a sun", output_format: "webp",
      image: [await toFile(png, "a.png", { type: "image/png" }), await toFile(png, "b.png", { type: "image/png" })],
    });
    const webp = Buffer.from(edit.data[0].b64_json, "base64");
    return { ok: webp.subarray(8, 12).toString() === "WEBP" && edit.usage.input_tokens_details.image_tokens > 0,
             usage: edit.usage };
  },
  async wrongKey() {
    const wrong = new OpenAI({ apiKey: "sk-wrong-key-for-node", maxRetries: 0 });
    try {
      await wrong.models.list();
      return { ok: false, reason: "no error" };
    } catch (error) {
      return { ok: error instanceof OpenAI.AuthenticationError && error.status === 401,
               code: error.code, name: error.constructor.name };
    }
  },
};

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(checks)) {
  if (only.length && !only.includes(name)) continue;
  try {
    console.log(JSON.stringify({ check: name, ...(await run()) }));
  } catch (error) {
    console.log(JSON.stringify({ check: name, ok: false, error: String(error?.stack ?? error) }));
  }
}
