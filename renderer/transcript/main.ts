import { mount } from 'svelte';
import '../lib/theme.css';
import TranscriptWindow from './TranscriptWindow.svelte';

mount(TranscriptWindow, { target: document.getElementById('app')! });
