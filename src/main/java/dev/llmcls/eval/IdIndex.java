package dev.llmcls.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Gives each example id seen in any run a dense slot number, so that runs can be paired by id. */
final class IdIndex {
    private final Map<String, Integer> slots = new HashMap<>(1 << 16);
    private final List<String> ids = new ArrayList<>(1 << 16);

    int slot(String id) {
        Integer slot = slots.get(id);
        if (slot == null) {
            slot = ids.size();
            slots.put(id, slot);
            ids.add(id);
        }
        return slot;
    }

    String id(int slot) {
        return ids.get(slot);
    }

    int size() {
        return ids.size();
    }
}
