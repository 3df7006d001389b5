package org.jnvmet.model.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jnvmet.api.NvmeTarget;
import org.jnvmet.api.TargetConfigException;
import org.jnvmet.model.ModelEditor;
import org.jnvmet.model.ModelEvent;
import org.jnvmet.model.ModelListener;
import org.jnvmet.model.ModelSnapshot;
import org.jnvmet.model.ModelStore;
import org.jnvmet.model.ModelValidationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model store: holds the tree in force, turns every change into a validated transaction applied to the
 * {@link NvmeTarget} (rolled back if the target refuses a call), persists it atomically, reloads the file when it is
 * edited, and tells {@link ModelListener}s. Plain Java: {@code new ModelStoreImpl(target, options)} then
 * {@link #start()}; under OSGi a DS component configured by {@link ModelStoreConfig}.
 */
@Component(service = ModelStore.class, immediate = true, configurationPid = ModelStoreImpl.PID)
@Designate(ocd = ModelStoreConfig.class)
public final class ModelStoreImpl implements ModelStore, AutoCloseable {
    public static final String PID = "org.jnvmet.model";
    private static final Logger LOG = LoggerFactory.getLogger(ModelStoreImpl.class);

    /**
     * Settings.
     *
     * @param file            the configuration file; null keeps the configuration in memory only
     * @param watch           reload the file when it changes
     * @param pollIntervalMs  how often the watcher looks at the file when no file events arrive
     * @param strictNqn       NQNs must follow the NVMe specification's syntax; false accepts any name the Linux
     *                        target accepts (e.g. "testnqn")
     */
    public record Options(Path file, boolean watch, long pollIntervalMs, boolean strictNqn) {
        public static Options inMemory() {
            return new Options(null, false, 1000, true);
        }

        public static Options of(Path file) {
            return new Options(file, true, 1000, true);
        }

        static Options of(ModelStoreConfig c) {
            String f = c.file().trim();
            Path path;
            if (!f.isEmpty()) {
                path = Path.of(f);
            } else if (System.getProperty("jnvmet.home") != null) {
                path = Path.of(System.getProperty("jnvmet.home"), "config.json");
            } else {
                path = Path.of(ModelStoreConfig.DEFAULT_FILE);
            }
            return new Options(path, c.watch(), c.pollIntervalMs(), c.strictNqn());
        }
    }

    /** The tree in force and its generation, replaced together. */
    private record State(Node root, long generation) {
    }

    private final NvmeTarget target;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<ModelListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Options options;
    private volatile State state = new State(new Node(Kind.ROOT, ""), 0);
    /** What the target holds as far as this store knows. */
    private SpecState applied;
    private ConfigFile file;
    private FileWatcher watcher;
    /** SHA-256 of the file text the running configuration came from or was saved as. */
    private String fileHash;
    private String refusedHash;
    private volatile String fileError;

    public ModelStoreImpl(NvmeTarget target, Options options) {
        this.target = target;
        this.options = options;
    }

    @Activate
    public ModelStoreImpl(@Reference(name = "target") NvmeTarget target, ModelStoreConfig config) {
        this(target, Options.of(config));
        start();
    }

    /** Loads the file (or its last good version), applies it to the target and starts watching. */
    public void start() {
        lock.lock();
        try {
            applied = readTarget();
            file = options.file() == null ? null : new ConfigFile(options.file());
            if (file != null) {
                file.cleanTemporaries();
                loadAtStart();
            } else {
                commit(new Node(Kind.ROOT, ""), ModelEvent.Source.START, null);
            }
            startWatcher();
        } finally {
            lock.unlock();
        }
    }

    private SpecState readTarget() {
        try {
            return SpecMapper.read(target);
        } catch (RuntimeException e) {
            LOG.warn("cannot read the target's current configuration ({}); assuming it is empty", e.toString());
            return SpecState.empty(NvmeTarget.DEFAULT_DISCOVERY_NQN);
        }
    }

    private void loadAtStart() {
        Optional<String> text;
        try {
            text = file.read();
        } catch (IOException e) {
            fileError = file.path() + ": " + e.getMessage();
            text = Optional.empty();
        }
        if (text.isPresent()) {
            try {
                commit(NvmetcliJson.read(text.get()), ModelEvent.Source.START, text.get());
                LOG.info("configuration loaded from {}", file.path());
                return;
            } catch (TargetConfigException e) {
                fileError = e.getMessage();
                refusedHash = ConfigFile.sha256(text.get());
                LOG.error("{} refused: {}", file.path(), e.getMessage());
            }
        } else if (fileError == null) {
            LOG.info("no configuration file {} yet; starting empty", file.path());
            commit(new Node(Kind.ROOT, ""), ModelEvent.Source.START, null);
            return;
        }
        try {
            Optional<String> lastGood = file.readLastGood();
            if (lastGood.isPresent()) {
                commit(NvmetcliJson.read(lastGood.get()), ModelEvent.Source.START, null);
                LOG.warn("running the last good configuration {} instead", file.lastGood());
                return;
            }
        } catch (IOException | TargetConfigException e) {
            LOG.error("last good configuration {} unusable too: {}", file.lastGood(), e.getMessage());
        }
        commit(new Node(Kind.ROOT, ""), ModelEvent.Source.START, null);
    }

    private void startWatcher() {
        if (file != null && options.watch()) {
            watcher = new FileWatcher(file.path(), options.pollIntervalMs(), this::reloadFromFile);
            watcher.start();
        }
    }

    @Modified
    void modified(ModelStoreConfig config) {
        reconfigure(Options.of(config));
    }

    /** Switches to other settings; a different file is loaded as if it had been edited. */
    public void reconfigure(Options newOptions) {
        lock.lock();
        try {
            stopWatcher();
            boolean otherFile = !Objects.equals(newOptions.file(), options.file());
            options = newOptions;
            if (otherFile) {
                file = newOptions.file() == null ? null : new ConfigFile(newOptions.file());
                fileHash = null;
                refusedHash = null;
                fileError = null;
                if (file != null) {
                    file.cleanTemporaries();
                    reloadFromFile();
                }
            }
            startWatcher();
        } finally {
            lock.unlock();
        }
    }

    private void stopWatcher() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
    }

    @Deactivate
    @Override
    public void close() {
        lock.lock();
        try {
            stopWatcher();
        } finally {
            lock.unlock();
        }
    }

    /** Applies the file if its content differs from what is in force; refuses it (keeping it) if it is invalid. */
    void reloadFromFile() {
        lock.lock();
        try {
            if (file == null) {
                return;
            }
            Optional<String> text;
            try {
                text = file.read();
            } catch (IOException e) {
                LOG.warn("cannot read {}: {}", file.path(), e.toString());
                return;
            }
            if (text.isEmpty()) {
                LOG.warn("{} was removed; the running configuration stays", file.path());
                return;
            }
            String hash = ConfigFile.sha256(text.get());
            if (hash.equals(fileHash)) {
                // The file is back to the configuration in force (e.g. a refused edit was reverted).
                if (refusedHash != null) {
                    refusedHash = null;
                    fileError = null;
                    LOG.info("{} matches the running configuration again", file.path());
                }
                return;
            }
            if (hash.equals(refusedHash)) {
                return;
            }
            try {
                commit(NvmetcliJson.read(text.get()), ModelEvent.Source.FILE, text.get());
                LOG.info("configuration reloaded from {}", file.path());
            } catch (TargetConfigException e) {
                refusedHash = hash;
                fileError = e.getMessage();
                LOG.error("{} refused, the running configuration stays: {}", file.path(), e.getMessage());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The transaction: validate the whole tree, apply the difference to the target, persist, then put it in force and
     * notify. A failure at any step leaves the previous tree in force and the target as it was.
     *
     * @param fileText for trees read from the configuration file, its text (the file is then not rewritten)
     */
    private void commit(Node next, ModelEvent.Source source, String fileText) {
        if (applied == null) {
            throw new IllegalStateException("the model store is not started");
        }
        State before = state;
        List<ModelValidationException.Problem> problems =
                Validator.validate(before.root(), next, options.strictNqn());
        if (!problems.isEmpty()) {
            throw new ModelValidationException(problems);
        }
        boolean unchanged = next.equals(before.root()) && source != ModelEvent.Source.START;
        SpecState desired = SpecMapper.map(next);
        if (!unchanged || source == ModelEvent.Source.START) {
            TargetPlan.between(applied, desired, target).execute();
        }
        try {
            persist(before.root(), next, source, fileText, unchanged);
        } catch (IOException e) {
            try {
                TargetPlan.between(desired, applied, target).execute();
            } catch (RuntimeException r) {
                LOG.error("cannot restore the target after a failed save", r);
            }
            TargetConfigException tce = new TargetConfigException(file.path().toString(),
                    "cannot save the configuration: " + e.getMessage());
            tce.initCause(e);
            throw tce;
        }
        applied = desired;
        if (unchanged) {
            return;
        }
        State after = new State(next, before.generation() + 1);
        state = after;
        ModelEvent event = new ModelEvent(new SnapshotView(before.root(), before.generation()),
                new SnapshotView(next, after.generation()), TreeDiff.changedObjects(before.root(), next), source);
        for (ModelListener l : listeners) {
            notify(l, event);
        }
    }

    private void persist(Node before, Node next, ModelEvent.Source source, String fileText, boolean unchanged)
            throws IOException {
        if (file == null) {
            return;
        }
        if (fileText != null) {
            // The tree came from the file: never rewrite it; keep what ran before as the last good version.
            if (source == ModelEvent.Source.FILE && !unchanged) {
                file.saveLastGood(NvmetcliJson.write(before));
            }
            fileHash = ConfigFile.sha256(fileText);
            fileError = null;
            refusedHash = null;
            return;
        }
        if (source != ModelEvent.Source.API || unchanged) {
            return;
        }
        if (fileError != null) {
            LOG.warn("{} holds a refused edit ({}); moving it to {} before saving", file.path(), fileError,
                    file.rejected());
            file.moveAsideRejected();
        }
        String text = NvmetcliJson.write(next);
        file.save(text);
        fileHash = ConfigFile.sha256(text);
        fileError = null;
        refusedHash = null;
    }

    private static void notify(ModelListener l, ModelEvent event) {
        try {
            l.modelChanged(event);
        } catch (RuntimeException e) {
            LOG.error("model listener {} failed", l, e);
        }
    }

    // ------------------------------------------------------------------ ModelStore

    @Override
    public List<String> list(String path) {
        return List.copyOf(TreePath.list(state.root(), path));
    }

    @Override
    public String get(String path) {
        return TreePath.get(state.root(), path);
    }

    @Override
    public Map<String, String> attributes(String path) {
        return TreePath.attributes(state.root(), path);
    }

    @Override
    public void set(String path, String value) {
        edit(e -> e.set(path, value));
    }

    @Override
    public void create(String path) {
        edit(e -> e.create(path));
    }

    @Override
    public void delete(String path) {
        edit(e -> e.delete(path));
    }

    @Override
    public void link(String path) {
        edit(e -> e.link(path));
    }

    @Override
    public void unlink(String path) {
        edit(e -> e.unlink(path));
    }

    @Override
    public void edit(Consumer<ModelEditor> changes) {
        lock.lock();
        try {
            TreeEditor editor = new TreeEditor(state.root().copy(), options.strictNqn());
            changes.accept(editor);
            commit(editor.root(), ModelEvent.Source.API, null);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String exportJson() {
        return NvmetcliJson.write(state.root());
    }

    @Override
    public void importJson(String json) {
        Node next = NvmetcliJson.read(json);
        lock.lock();
        try {
            commit(next, ModelEvent.Source.API, null);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ModelSnapshot snapshot() {
        State s = state;
        return new SnapshotView(s.root(), s.generation());
    }

    @Override
    public Optional<String> fileError() {
        return Optional.ofNullable(fileError);
    }

    /** Adds a listener and tells it the whole current configuration at once, as a change from nothing. */
    @Override
    public void addListener(ModelListener listener) {
        lock.lock();
        try {
            listeners.add(listener);
            State s = state;
            Node empty = new Node(Kind.ROOT, "");
            notify(listener, new ModelEvent(new SnapshotView(empty, 0), new SnapshotView(s.root(), s.generation()),
                    TreeDiff.changedObjects(empty, s.root()), ModelEvent.Source.START));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void removeListener(ModelListener listener) {
        listeners.remove(listener);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindModelListener(ModelListener listener) {
        addListener(listener);
    }

    void unbindModelListener(ModelListener listener) {
        removeListener(listener);
    }
}
