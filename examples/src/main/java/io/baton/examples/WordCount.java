package io.baton.examples;

import io.baton.api.StreamEnvironment;
import io.baton.api.connectors.FileLineSource;
import io.baton.api.connectors.FileSink;
import io.baton.api.functions.Collector;
import io.baton.api.functions.FlatMapFunction;
import io.baton.api.functions.KeyedProcessFunction;
import io.baton.api.functions.RuntimeContext;
import io.baton.api.state.ValueState;
import io.baton.api.state.ValueStateDescriptor;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Counts the words of a text file: lines, split into lower-cased words (runs of letters and
 * digits), keyed by word, counted in keyed state, and written as {@code <word>\t<count>} when the
 * input ends.
 */
final class WordCount {
  static final String USAGE = "usage: wordcount --input FILE --output DIR";

  private WordCount() {}

  /** Defines the job on {@code env} from the command line's options and runs it. */
  static void run(String[] args, StreamEnvironment env) throws Exception {
    Arguments arguments = Arguments.parse(args, Set.of("input", "output"));
    define(env, arguments.string("input"), arguments.string("output"));
    env.execute("wordcount");
  }

  static void define(StreamEnvironment env, String input, String output) {
    env.fromSource(new FileLineSource(input), "lines")
        .uid("lines")
        .flatMap(new Tokenizer())
        .name("tokenize")
        .keyBy(word -> word)
        .process(new CountWords())
        .name("count")
        .uid("count")
        .sinkTo(new FileSink<>(output))
        .name("counts")
        .uid("counts");
  }

  /** Splits a line into lower-cased words: runs of letters and digits. */
  static final class Tokenizer implements FlatMapFunction<String, String> {
    private static final Pattern NOT_A_WORD_CHARACTER = Pattern.compile("[^\\p{L}\\p{N}]+");

    @Override
    public void flatMap(String line, Collector<String> out) {
      for (String word : NOT_A_WORD_CHARACTER.split(line.toLowerCase(Locale.ROOT))) {
        if (!word.isEmpty()) {
          out.collect(word);
        }
      }
    }
  }

  /** Counts each word in keyed state and emits {@code <word>\t<count>} once the input ended. */
  static final class CountWords extends KeyedProcessFunction<String, String, String> {
    private transient ValueState<Long> count;

    @Override
    public void open(RuntimeContext context) {
      count = context.getState(new ValueStateDescriptor<>("count", Long.class));
    }

    @Override
    public void processElement(String word, Context<String> context, Collector<String> out) {
      Long current = count.value();
      count.update(current == null ? 1L : current + 1);
    }

    @Override
    public void endOfInput(EndOfInputContext<String> context, Collector<String> out)
        throws Exception {
      context.forEachKey(word -> out.collect(word + "\t" + count.value()));
    }
  }
}
